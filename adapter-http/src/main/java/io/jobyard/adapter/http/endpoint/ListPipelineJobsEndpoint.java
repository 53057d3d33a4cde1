package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.ListJobsUseCase.PipelineJobsQuery;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /projects/:id/pipelines/:pipeline_id/jobs} (contract §3.2): offset pagination with totals,
 * {@code include_retried}, and a scope that may not be a hash; Jobyard's filters and orders ({@link JobListParams},
 * but {@code pipeline_id}, which the path gives) and keyset pages ({@code pagination=keyset}, which GitLab refuses
 * here with 405) on top.
 */
public final class ListPipelineJobsEndpoint implements Endpoint {
    private final ListJobsUseCase jobs;
    private final WebUrls urls;
    private final long offsetLimit;

    public ListPipelineJobsEndpoint(ListJobsUseCase jobs, WebUrls urls, long offsetLimit) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.offsetLimit = offsetLimit;
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = RequestValues.project(request);
        PipelineId pipeline = RequestValues.pipelineId(request);
        boolean includeRetried = RequestValues.flag(request, "include_retried");
        Set<JobStatus> scope = ScopeParam.read(request.params(), false);
        JobListParams list = JobListParams.read(request.params(), scope, false);
        JobFilter filter = list.filter().toBuilder().includeRetried(includeRetried).build();
        if (KeysetPageReply.requested(request)) {
            int perPage = KeysetPageReply.perPage(request);
            Optional<String> cursor = KeysetPageReply.cursor(request);
            SortKey after;
            try {
                after = cursor.map(c -> KeysetCursor.decode(c, list.ordering())).orElse(null);
            } catch (RuntimeException badCursor) {
                probe(request, project, pipeline);
                throw badCursor;
            }
            JobPage page = jobs.listPipelineJobs(request.actor(), new PipelineJobsQuery(project, pipeline, filter,
                    list.username(), list.ordering(), new Pagination.Keyset(after, perPage)));
            return JobListReplies.keyset(page, list.ordering(), urls, request);
        }
        OffsetPaging paging = OffsetPaging.read(request.params());
        if (paging.exceeds(offsetLimit)) {
            probe(request, project, pipeline);
            throw OffsetPaging.limitExceeded(offsetLimit);
        }
        JobPage page = jobs.listPipelineJobs(request.actor(), new PipelineJobsQuery(project, pipeline, filter,
                list.username(), list.ordering(), paging.pagination()));
        return JobListReplies.offset(page, paging, urls, request, true);
    }

    /** Lets the use case refuse the project or pipeline (404/403) before a paging refusal, as GitLab orders them. */
    private void probe(ApiRequest request, ProjectRef project, PipelineId pipeline) {
        jobs.listPipelineJobs(request.actor(),
                new PipelineJobsQuery(project, pipeline, Set.of(), false, new Pagination.Offset(1, 1)));
    }
}
