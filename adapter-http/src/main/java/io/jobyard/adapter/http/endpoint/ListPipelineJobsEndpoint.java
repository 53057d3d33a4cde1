package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.ListJobsUseCase.PipelineJobsQuery;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;

import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /projects/:id/pipelines/:pipeline_id/jobs} (contract §3.2): offset pagination with totals,
 * {@code include_retried}, and a scope that may not be a hash. Keyset paging is not offered on this list (the
 * use case pages it by offset only) and is refused with GitLab's "not yet available" 405.
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
        OffsetPaging paging = OffsetPaging.read(request.params());
        boolean keyset = request.params().text("pagination").filter("keyset"::equals).isPresent();
        if (keyset || paging.exceeds(offsetLimit)) {
            jobs.listPipelineJobs(request.actor(),
                    new PipelineJobsQuery(project, pipeline, scope, includeRetried, new Pagination.Offset(1, 1)));
            throw keyset ? ApiError.error(405, ListProjectJobsEndpoint.KEYSET_UNSUPPORTED)
                    : OffsetPaging.limitExceeded(offsetLimit);
        }
        JobPage page = jobs.listPipelineJobs(request.actor(),
                new PipelineJobsQuery(project, pipeline, scope, includeRetried, paging.pagination()));
        return JobListReplies.offset(page, paging, urls, request, true);
    }
}
