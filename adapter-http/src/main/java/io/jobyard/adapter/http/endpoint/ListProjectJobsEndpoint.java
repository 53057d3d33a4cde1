package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase.ProjectJobsQuery;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.job.JobStatus;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /projects/:id/jobs} (contract §3.1): offset pagination without totals, or keyset pagination with
 * {@code pagination=keyset}, filtered by GitLab's {@code scope} and by Jobyard's filters and orders
 * ({@link JobListParams}). Keyset pages work in every order (GitLab offers them for id descending only).
 *
 * <p>GitLab validates parameters first (400) but checks paging limits only after the project checks, so the offset
 * limit (405) and a bad cursor (400) are answered after a one-row probe has let the use case refuse a missing or
 * forbidden project first.
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
        JobListParams list = JobListParams.read(request.params(), scope, true);
        if (KeysetPageReply.requested(request)) {
            return keyset(request, project, list);
        }
        OffsetPaging paging = OffsetPaging.read(request.params());
        if (paging.exceeds(offsetLimit)) {
            probe(request, project);
            throw OffsetPaging.limitExceeded(offsetLimit);
        }
        JobPage page = jobs.listProjectJobs(request.actor(), query(project, list, paging.pagination()));
        return JobListReplies.offset(page, paging, urls, request, false);
    }

    private Reply keyset(ApiRequest request, ProjectRef project, JobListParams list) {
        int perPage = KeysetPageReply.perPage(request);
        Optional<String> cursor = KeysetPageReply.cursor(request);
        SortKey after;
        try {
            after = cursor.map(c -> KeysetCursor.decode(c, list.ordering())).orElse(null);
        } catch (RuntimeException badCursor) {
            probe(request, project);
            throw badCursor;
        }
        JobPage page = jobs.listProjectJobs(request.actor(), query(project, list, new Pagination.Keyset(after, perPage)));
        return JobListReplies.keyset(page, list.ordering(), urls, request);
    }

    private static ProjectJobsQuery query(ProjectRef project, JobListParams list, Pagination pagination) {
        return new ProjectJobsQuery(project, list.filter(), list.username(), list.ordering(), pagination);
    }

    /** Lets the use case refuse the project (404/403) before a paging refusal, as GitLab orders them. */
    private void probe(ApiRequest request, ProjectRef project) {
        jobs.listProjectJobs(request.actor(), new ProjectJobsQuery(project, Set.of(), new Pagination.Offset(1, 1)));
    }
}
