package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of any list with GitLab's offset pagination headers (contract §8.3): X-Per-Page, X-Page, X-Next-Page and
 * X-Prev-Page (empty strings when there is none), Link prev/next/first, and with a total also X-Total, X-Total-Pages
 * and rel="last". Kaminari leaves out prev on a page past the end.
 */
public final class OffsetPageReply {
    private OffsetPageReply() {
    }

    /** @param total the size of the whole listing, or null for listings that do not count (jobs) */
    public static Reply of(List<?> body, boolean hasNext, Long total, OffsetPaging paging, ApiRequest request) {
        return reply(body, body.isEmpty(), hasNext, total, paging, request);
    }

    /**
     * @param body  the page's entities, serialized as they are
     * @param empty whether the page holds nothing
     * @param total the number of items in all pages, or null for lists GitLab does not count
     */
    public static Reply reply(Object body, boolean empty, boolean hasNext, Long total, OffsetPaging paging,
                              ApiRequest request) {
        long current = paging.page();
        boolean hasPrev = current > 1 && !empty;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Per-Page", Integer.toString(paging.perPage()));
        headers.put("X-Page", Long.toString(current));
        headers.put("X-Next-Page", hasNext ? Long.toString(current + 1) : "");
        headers.put("X-Prev-Page", hasPrev ? Long.toString(current - 1) : "");
        Long totalPages = total == null ? null : Math.max(1, (total + paging.perPage() - 1) / paging.perPage());
        List<String> links = new ArrayList<>();
        if (hasPrev) {
            links.add(link(request, paging, current - 1, "prev"));
        }
        if (hasNext) {
            links.add(link(request, paging, current + 1, "next"));
        }
        links.add(link(request, paging, 1, "first"));
        if (totalPages != null) {
            links.add(link(request, paging, totalPages, "last"));
        }
        headers.put("Link", String.join(", ", links));
        if (total != null) {
            headers.put("X-Total", Long.toString(total));
            headers.put("X-Total-Pages", Long.toString(totalPages));
        }
        return new Reply.Json(200, body, headers);
    }

    private static String link(ApiRequest request, OffsetPaging paging, long page, String rel) {
        Map<String, String> paged = new LinkedHashMap<>();
        paged.put("page", Long.toString(page));
        paged.put("per_page", Integer.toString(paging.perPage()));
        return PageLinks.link(request.selfUrl(), PageLinks.query(request.params().queryPairs(), paged), rel);
    }
}
