package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.out.JobOrdering;

import java.util.List;

/** A page of jobs as JSON with GitLab's offset pagination headers (contract §3.1, §3.2, §8.3). */
final class JobListReplies {
    private JobListReplies() {
    }

    static List<JobJson> body(JobPage page, WebUrls urls, ApiRequest request) {
        return page.jobs().stream().map(view -> JobJson.from(view, urls, request.now())).toList();
    }

    /** A keyset page: {@code Link rel="next"} with the cursor after its last job, when another page follows. */
    static Reply keyset(JobPage page, JobOrdering ordering, WebUrls urls, ApiRequest request) {
        String next = page.hasNext() && !page.jobs().isEmpty()
                ? KeysetCursor.encode(ordering, page.jobs().get(page.jobs().size() - 1).job()) : null;
        return KeysetPageReply.of(body(page, urls, request), next, request);
    }

    /** GitLab's offset pagination headers for a page of jobs; only pipeline job lists count (contract §3.1, §3.2). */
    static Reply offset(JobPage page, OffsetPaging paging, WebUrls urls, ApiRequest request, boolean withTotals) {
        return OffsetPageReply.reply(body(page, urls, request), page.jobs().isEmpty(), page.hasNext(),
                withTotals ? page.total() : null, paging, request);
    }
}
