package io.jobyard.application.service.job;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;

import java.util.List;
import java.util.Objects;

/** {@code GET /projects/:id/jobs} and {@code GET /projects/:id/pipelines/:pipeline_id/jobs}. */
public final class ListJobsService implements ListJobsUseCase {
    private final ProjectGate gate;
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final JobViewAssembler views;
    private final Transactor transactor;

    public ListJobsService(ProjectGate gate, JobRepository jobs, PipelineRepository pipelines,
                           JobViewAssembler views, Transactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.views = Objects.requireNonNull(views, "views");
    }

    @Override
    public JobPage listProjectJobs(Actor actor, ProjectJobsQuery query) {
        return transactor.reading(() -> projectJobs(actor, query));
    }

    private JobPage projectJobs(Actor actor, ProjectJobsQuery query) {
        ProjectAccess access = gate.openBuilds(actor, query.project());
        int perPage = query.pagination().perPage();
        // One row more than the page tells whether another page follows: GitLab's project job list has no count.
        List<Job> rows;
        if (query.pagination() instanceof Pagination.Keyset keyset) {
            rows = jobs.listForProjectBefore(access.project().id(), query.scope(), keyset.beforeId(), perPage + 1);
        } else {
            long offset = ((Pagination.Offset) query.pagination()).offset();
            rows = jobs.listForProject(access.project().id(), query.scope(), offset, perPage + 1);
        }
        boolean hasNext = rows.size() > perPage;
        List<Job> page = hasNext ? rows.subList(0, perPage) : rows;
        return new JobPage(views.views(access.project(), page), hasNext, null);
    }

    @Override
    public JobPage listPipelineJobs(Actor actor, PipelineJobsQuery query) {
        return transactor.reading(() -> pipelineJobs(actor, query));
    }

    private JobPage pipelineJobs(Actor actor, PipelineJobsQuery query) {
        ProjectAccess access = gate.open(actor, query.project());
        if (!access.canReadPipelines()) {
            throw new ForbiddenException();
        }
        Pipeline pipeline = pipelines.findById(query.pipeline())
                .filter(p -> p.projectId().equals(access.project().id()))
                .orElseThrow(() -> NotFoundException.record("Pipeline"));
        if (!access.canReadBuilds()) {
            // GitLab's JobsFinder swallows the missing read_build and answers an empty list.
            return new JobPage(List.of(), false, 0L);
        }
        Pagination.Offset page = query.pagination();
        long total = jobs.countForPipeline(pipeline.id(), query.scope(), query.includeRetried());
        List<Job> rows = jobs.listForPipeline(pipeline.id(), query.scope(), query.includeRetried(), page.offset(),
                page.perPage());
        boolean hasNext = page.offset() + rows.size() < total;
        return new JobPage(views.views(access.project(), rows), hasNext, total);
    }
}
