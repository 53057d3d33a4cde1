package io.jobyard.application.service.job;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /projects/:id/jobs} and {@code GET /projects/:id/pipelines/:pipeline_id/jobs}, with Jobyard's filters and
 * orders on top of GitLab's scope.
 *
 * <p><b>The change feed.</b> A list ordered by {@code updated_at} ascending, followed with keyset pages, shows every
 * change once: a client that keeps the position of the last job it saw later reads exactly the jobs changed since.
 * One thing could break that: a job's {@code updated_at} is taken from the clock when it changes, but the change
 * becomes visible only when its transaction commits, so a change stamped at T can appear after a reader has already
 * moved past T — and the reader would never see it. The feed therefore only lists changes older than
 * {@code changeFeedDelay}: any transaction that commits within that time of stamping its change is seen. It costs the
 * feed that much delay and nothing else; the other orders are not held back.
 */
public final class ListJobsService implements ListJobsUseCase {
    /** The change feed's default delay: well above a job-writing transaction on a loaded machine. */
    public static final Duration DEFAULT_CHANGE_FEED_DELAY = Duration.ofSeconds(5);

    private final ProjectGate gate;
    private final UserRepository users;
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final JobViewAssembler views;
    private final Transactor transactor;
    private final Clock clock;
    private final Duration changeFeedDelay;

    public ListJobsService(ProjectGate gate, UserRepository users, JobRepository jobs, PipelineRepository pipelines,
                           JobViewAssembler views, Transactor transactor, Clock clock, Duration changeFeedDelay) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.users = Objects.requireNonNull(users, "users");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.views = Objects.requireNonNull(views, "views");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.changeFeedDelay = Objects.requireNonNull(changeFeedDelay, "changeFeedDelay");
        if (changeFeedDelay.isNegative()) {
            throw new IllegalArgumentException("changeFeedDelay must not be negative");
        }
    }

    @Override
    public JobPage listProjectJobs(Actor actor, ProjectJobsQuery query) {
        return transactor.reading(() -> projectJobs(actor, query));
    }

    private JobPage projectJobs(Actor actor, ProjectJobsQuery query) {
        ProjectAccess access = gate.openBuilds(actor, query.project());
        Optional<JobFilter> filter = resolve(query.filter(), query.username(), query.ordering());
        if (filter.isEmpty()) {
            return new JobPage(List.of(), false, null);
        }
        int perPage = query.pagination().perPage();
        // One row more than the page tells whether another page follows: GitLab's project job list has no count.
        List<Job> rows = rows(access.project().id(), filter.get(), query.ordering(), query.pagination(), perPage + 1);
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
        boolean counted = query.pagination() instanceof Pagination.Offset;
        if (!access.canReadBuilds()) {
            // GitLab's JobsFinder swallows the missing read_build and answers an empty list.
            return new JobPage(List.of(), false, counted ? 0L : null);
        }
        Optional<JobFilter> filter = resolve(query.filter().toBuilder().pipeline(pipeline.id()).build(),
                query.username(), query.ordering());
        if (filter.isEmpty()) {
            return new JobPage(List.of(), false, counted ? 0L : null);
        }
        ProjectId project = access.project().id();
        if (query.pagination() instanceof Pagination.Offset page) {
            long total = jobs.count(project, filter.get());
            List<Job> rows = jobs.search(project, filter.get(), query.ordering(), null, page.offset(),
                    page.perPage());
            boolean hasNext = page.offset() + rows.size() < total;
            return new JobPage(views.views(access.project(), rows), hasNext, total);
        }
        int perPage = query.pagination().perPage();
        List<Job> rows = rows(project, filter.get(), query.ordering(), query.pagination(), perPage + 1);
        boolean hasNext = rows.size() > perPage;
        return new JobPage(views.views(access.project(), hasNext ? rows.subList(0, perPage) : rows), hasNext, null);
    }

    private List<Job> rows(ProjectId project, JobFilter filter, JobOrdering ordering, Pagination pagination,
                           int limit) {
        if (pagination instanceof Pagination.Keyset keyset) {
            return jobs.search(project, filter, ordering, keyset.after(), 0, limit);
        }
        return jobs.search(project, filter, ordering, null, ((Pagination.Offset) pagination).offset(), limit);
    }

    /**
     * The filter the repository runs: the username resolved to its user (empty when nobody has it, or when it names
     * someone else than {@code user_id}), and the change feed held back by {@code changeFeedDelay}.
     */
    private Optional<JobFilter> resolve(JobFilter filter, String username, JobOrdering ordering) {
        JobFilter.Builder resolved = filter.toBuilder();
        if (username != null) {
            Optional<User> user = users.findByUsername(username);
            if (user.isEmpty() || filter.user() != null && !filter.user().equals(user.get().id())) {
                return Optional.empty();
            }
            resolved.user(user.get().id());
        }
        if (ordering.by() == JobOrder.UPDATED_AT && ordering.ascending() && !changeFeedDelay.isZero()) {
            Instant horizon = clock.instant().minus(changeFeedDelay);
            if (filter.updatedBefore() == null || filter.updatedBefore().isAfter(horizon)) {
                resolved.updatedBefore(horizon);
            }
        }
        return Optional.of(resolved.build());
    }
}
