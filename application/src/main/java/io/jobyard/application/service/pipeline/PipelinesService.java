package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository.PipelineQuery;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * GitLab's pipeline endpoints on stored pipelines ({@code lib/api/ci/pipelines.rb}): the list with
 * {@code Ci::PipelinesFinder}'s filters, one pipeline, retry ({@code Ci::RetryPipelineService}), cancel
 * ({@code Ci::CancelPipelineService}) and the creation variables. Retry and cancel run under {@link OptimisticRetry}
 * from fresh reads, and end in the pipeline processing every job change ends in.
 */
public final class PipelinesService implements PipelinesUseCase {
    private static final Set<JobStatus> FINISHED = EnumSet.of(JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELED);

    private final ProjectGate gate;
    private final PipelineRepository pipelines;
    private final JobRepository jobs;
    private final UserRepository users;
    private final RunnerRepository runners;
    private final PipelineProgress progress;
    private final OptimisticRetry optimisticRetry;
    private final Clock clock;

    public PipelinesService(ProjectGate gate, PipelineRepository pipelines, JobRepository jobs,
                            UserRepository users, RunnerRepository runners, PipelineProgress progress,
                            OptimisticRetry optimisticRetry, Clock clock) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.users = Objects.requireNonNull(users, "users");
        this.runners = Objects.requireNonNull(runners, "runners");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.optimisticRetry = Objects.requireNonNull(optimisticRetry, "optimisticRetry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // -------------------------------------------------------------------------------------------------------- list

    @Override
    public PipelinePage list(Actor actor, ListPipelinesQuery query) {
        ProjectAccess access = gate.open(actor, query.project());
        // GitLab authorizes read_pipeline and read_build on the project.
        if (!access.canReadPipelines() || !access.canReadBuilds()) {
            throw new ForbiddenException();
        }
        Project project = access.project();
        Optional<PipelineQuery> repositoryQuery = repositoryQuery(query);
        boolean keyset = query.pagination() instanceof Pagination.Keyset;
        if (repositoryQuery.isEmpty()) {
            return new PipelinePage(project, List.of(), false, keyset ? null : 0L);
        }
        if (query.pagination() instanceof Pagination.Keyset page) {
            List<Pipeline> rows = pipelines.searchAfter(project.id(), repositoryQuery.get(), page.after(),
                    page.perPage() + 1);
            boolean hasNext = rows.size() > page.perPage();
            return new PipelinePage(project, hasNext ? rows.subList(0, page.perPage()) : rows, hasNext, null);
        }
        Pagination.Offset page = (Pagination.Offset) query.pagination();
        long total = pipelines.searchCount(project.id(), repositoryQuery.get());
        List<Pipeline> rows = pipelines.search(project.id(), repositoryQuery.get(), page.offset(), page.perPage());
        return new PipelinePage(project, rows, page.offset() + rows.size() < total, total);
    }

    /** The finder's filters as one repository query; empty when they cannot match anything. */
    private Optional<PipelineQuery> repositoryQuery(ListPipelinesQuery query) {
        if (Boolean.TRUE.equals(query.yamlErrors()) || present(query.name())) {
            // Jobyard refuses invalid configurations and knows no workflow:name, so no pipeline has either.
            return Optional.empty();
        }
        UserId user = null;
        if (present(query.username())) {
            Optional<User> found = users.findByUsername(query.username());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            user = found.get().id();
        }
        Set<JobStatus> statuses = null;
        Boolean tag = null;
        boolean latestPerRef = false;
        if (query.scope() != null) {
            switch (query.scope()) {
                case RUNNING -> statuses = EnumSet.of(JobStatus.RUNNING);
                case PENDING -> statuses = EnumSet.of(JobStatus.PENDING);
                case FINISHED -> statuses = FINISHED;
                case BRANCHES -> {
                    tag = false;
                    latestPerRef = true;
                }
                case TAGS -> {
                    tag = true;
                    latestPerRef = true;
                }
            }
        }
        if (query.status() != null) {
            if (statuses != null && !statuses.contains(query.status())) {
                return Optional.empty();
            }
            statuses = EnumSet.of(query.status());
        }
        return Optional.of(new PipelineQuery(statuses, present(query.ref()) ? query.ref() : null,
                present(query.sha()) ? query.sha() : null, tag, latestPerRef, query.source(), user,
                query.updatedAfter(), query.updatedBefore(), query.createdAfter(), query.createdBefore(),
                query.order(), query.ascending()));
    }

    /** Rails' {@code present?}: GitLab ignores a blank filter. */
    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    // --------------------------------------------------------------------------------------------------------- get

    @Override
    public PipelineView get(Actor actor, ProjectRef project, PipelineId pipeline) {
        ProjectAccess access = gate.open(actor, project);
        Pipeline found = find(access.project(), pipeline);
        if (!access.canReadPipelines()) {
            throw new ForbiddenException();
        }
        return view(access.project(), found);
    }

    // ------------------------------------------------------------------------------------------------------- retry

    @Override
    public PipelineView retry(Actor actor, ProjectRef project, PipelineId pipeline) {
        UserId user = ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        Pipeline found = find(access.project(), pipeline);
        requireUpdatePipeline(access);
        Pipeline retried = optimisticRetry.run(() -> progress.retryPipeline(found.id(), user));
        return view(access.project(), retried);
    }

    // ------------------------------------------------------------------------------------------------------ cancel

    @Override
    public PipelineView cancel(Actor actor, ProjectRef project, PipelineId pipeline) {
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        Pipeline found = find(access.project(), pipeline);
        requireUpdatePipeline(access);
        Pipeline canceled = optimisticRetry.run(() -> {
            Instant now = clock.instant();
            boolean changed = false;
            for (Job job : jobs.findByPipeline(found.id())) {
                if (!JobStatus.CANCELABLE.contains(job.status())) {
                    continue;
                }
                Job next = job.cancel(gracefulCancel(job), now);
                if (!next.equals(job)) {
                    jobs.update(next);
                    changed = true;
                }
            }
            return changed ? progress.advance(found.id()) : find(access.project(), found.id());
        });
        return view(access.project(), canceled);
    }

    /** A running job goes to canceling (not canceled) when its runner runs after_script on cancel. */
    private boolean gracefulCancel(Job job) {
        return job.runnerId() != null && runners.findById(job.runnerId()).map(Runner::gracefulCancel).orElse(false);
    }

    // --------------------------------------------------------------------------------------------------- variables

    @Override
    public List<JobVariable> variables(Actor actor, ProjectRef project, PipelineId pipeline) {
        ProjectAccess access = gate.open(actor, project);
        Pipeline found = find(access.project(), pipeline);
        if (!access.canReadPipelineVariables(found.userId())) {
            throw new ForbiddenException();
        }
        return found.variables();
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    /** {@code update_pipeline} / {@code cancel_pipeline}: Developer+ (Jobyard has no protected refs). */
    private static void requireUpdatePipeline(ProjectAccess access) {
        if (!access.canUpdateBuilds()) {
            throw new ForbiddenException();
        }
    }

    /** {@code user_project.all_pipelines.find(id)}: another project's pipeline is as missing as no pipeline. */
    private Pipeline find(Project project, PipelineId id) {
        return pipelines.findById(id)
                .filter(p -> p.projectId().equals(project.id()))
                .orElseThrow(() -> NotFoundException.record("Pipeline"));
    }

    /**
     * The pipeline with its user, GitLab's {@code has_warnings?} (a latest job failed but was allowed to) and
     * {@code coverage} (the average of the latest jobs' coverage values).
     */
    private PipelineView view(Project project, Pipeline pipeline) {
        User user = pipeline.userId() == null ? null : users.findById(pipeline.userId()).orElse(null);
        List<Job> latest = jobs.findByPipeline(pipeline.id()).stream().filter(j -> !j.retried()).toList();
        boolean warnings = latest.stream().anyMatch(j -> j.allowFailure() && j.status() == JobStatus.FAILED);
        OptionalDouble coverage = latest.stream().filter(j -> j.coverage() != null)
                .mapToDouble(Job::coverage).average();
        return new PipelineView(pipeline, project, user, warnings,
                coverage.isPresent() ? coverage.getAsDouble() : null);
    }
}
