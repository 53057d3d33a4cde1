package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.job.ListJobsUseCase.ProjectJobsQuery;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /projects/:id/jobs} (contract §3.1): offset pagination without totals, or keyset pagination with
 * {@code pagination=keyset}.
 *
 * <p>GitLab validates parameters first (400) but checks paging limits only after the project checks, so the offset
 * limit (405), an unsupported keyset order (405) and a bad cursor (400) are answered after a one-row probe has let the
 * use case refuse a missing or forbidden project first.
 */
public final class ListProjectJobsEndpoint implements Endpoint {
    static final String KEYSET_UNSUPPORTED = "Keyset pagination is not yet available for this type of request";

    private final ListJobsUseCase jobs;
    private final WebUrls urls;
    private final long offsetLimit;

    public ListProjectJobsEndpoint(ListJobsUseCase jobs, WebUrls urls, long offsetLimit) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.offsetLimit = offsetLimit;
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = RequestValues.project(request);
        Set<JobStatus> scope = ScopeParam.read(request.params(), true);
        if (request.params().text("pagination").filter("keyset"::equals).isPresent()) {
            return keyset(request, project, scope);
        }
        OffsetPaging paging = OffsetPaging.read(request.params());
        if (paging.exceeds(offsetLimit)) {
            probe(request, project, scope);
            throw OffsetPaging.limitExceeded(offsetLimit);
        }
        JobPage page = jobs.listProjectJobs(request.actor(), new ProjectJobsQuery(project, scope, paging.pagination()));
        return JobListReplies.offset(page, paging, urls, request, false);
    }

    private Reply keyset(ApiRequest request, ProjectRef project, Set<JobStatus> scope) {
        BigInteger requestedPerPage = OffsetPaging.PerPage.requested(request.params());
        int perPage = OffsetPaging.PerPage.effective(requestedPerPage);
        boolean supportedOrder = request.params().text("order_by").map("id"::equals).orElse(true)
                && request.params().text("sort").map("desc"::equals).orElse(true);
        Optional<String> cursor = request.params().text("cursor").filter(c -> !c.isEmpty());
        if (!supportedOrder) {
            probe(request, project, scope);
            throw ApiError.error(405, KEYSET_UNSUPPORTED);
        }
        JobId before;
        try {
            before = cursor.map(KeysetCursor::decode).orElse(null);
        } catch (RuntimeException badCursor) {
            probe(request, project, scope);
            throw badCursor;
        }
        JobPage page = jobs.listProjectJobs(request.actor(),
                new ProjectJobsQuery(project, scope, new Pagination.Keyset(before, perPage)));
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (page.hasNext() && !page.jobs().isEmpty()) {
            JobView last = page.jobs().get(page.jobs().size() - 1);
            String query = PageLinks.query(request.params().queryPairs(),
                    Map.of("cursor", KeysetCursor.encode(last.job().id())));
            headers.put("Link", PageLinks.link(request.selfUrl(), query, "next"));
        }
        return new Reply.Json(200, JobListReplies.body(page, urls, request), headers);
    }

    /** Lets the use case refuse the project (404/403) before a paging refusal, as GitLab orders them. */
    private void probe(ApiRequest request, ProjectRef project, Set<JobStatus> scope) {
        jobs.listProjectJobs(request.actor(), new ProjectJobsQuery(project, scope, new Pagination.Offset(1, 1)));
    }
}
