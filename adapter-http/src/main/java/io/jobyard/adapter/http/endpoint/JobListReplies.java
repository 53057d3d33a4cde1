package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.JobPage;

import java.util.List;

/** A page of jobs as JSON with GitLab's offset pagination headers (contract §3.1, §3.2, §8.3). */
final class JobListReplies {
    private JobListReplies() {
    }

    static List<JobJson> body(JobPage page, WebUrls urls, ApiRequest request) {
        return page.jobs().stream().map(view -> JobJson.from(view, urls, request.now())).toList();
    }

    /**
     * X-Per-Page, X-Page, X-Next-Page and X-Prev-Page (empty strings when there is none), Link prev/next/first, and
     * with a total (pipeline job lists only) also X-Total, X-Total-Pages and rel="last". Kaminari leaves out prev on a page past the end.
     */
    static Reply offset(JobPage page, OffsetPaging paging, WebUrls urls, ApiRequest request, boolean withTotals) {
        Long total = withTotals ? page.total() : null;
        return OffsetPageReply.of(body(page, urls, request), page.hasNext(), total, paging, request);
    }
}
