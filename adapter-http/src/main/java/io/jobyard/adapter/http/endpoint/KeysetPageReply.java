package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.out.SortKey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A keyset page as GitLab answers it (contract §3.1): the items and, when another page follows, only
 * {@code Link: <url>; rel="next"}, whose URL is the request's on the configured origin with every parameter the client
 * sent and the next {@code cursor}. No {@code X-*} paging headers, no count, no link on the last page.
 */
public final class KeysetPageReply {
    private KeysetPageReply() {
    }

    /** @param nextCursor the cursor of the next page, or null on the last page */
    public static Reply of(Object body, String nextCursor, ApiRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (nextCursor != null) {
            String query = PageLinks.query(request.params().queryPairs(), Map.of("cursor", nextCursor));
            headers.put("Link", PageLinks.link(request.selfUrl(), query, "next"));
        }
        return new Reply.Json(200, body, headers);
    }

    /** Whether the request asks for keyset pages ({@code pagination=keyset}). */
    public static boolean requested(ApiRequest request) {
        return request.params().text("pagination").filter("keyset"::equals).isPresent();
    }

    /** The {@code cursor} sent, if any (empty text counts as none: the first page). */
    public static java.util.Optional<String> cursor(ApiRequest request) {
        return request.params().text("cursor").filter(c -> !c.isEmpty());
    }

    /** The keyset page a request of a list ordered by id asks for: {@code per_page} and the cursor's id. */
    public static Pagination.Keyset byId(ApiRequest request) {
        int perPage = perPage(request);
        return new Pagination.Keyset(cursor(request).map(c -> SortKey.ofId(KeysetCursor.decodeId(c))).orElse(null),
                perPage);
    }

    /** {@code per_page} as keyset pages read it: GitLab's default and maximum, 0 refused. */
    public static int perPage(ApiRequest request) {
        return OffsetPaging.PerPage.effective(OffsetPaging.PerPage.requested(request.params()));
    }
}
