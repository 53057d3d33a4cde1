package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stores a pipeline and its jobs (all created) and runs the first processing pass in the same transaction, so the
 * pipeline is never visible without its first jobs enqueued.
 */
public final class CreatePipelineService implements CreatePipelineUseCase {
    /** The longest ref a pipeline (and its jobs) can be stored with. */
    static final int MAX_REF_LENGTH = 1024;
    private final ProjectGate gate;
    private final PipelineRepository pipelines;
    private final JobRepository jobs;
    private final PipelineProgress progress;
    private final OptimisticRetry optimisticRetry;
    private final Clock clock;

    public CreatePipelineService(ProjectGate gate, PipelineRepository pipelines, JobRepository jobs,
                                 PipelineProgress progress, OptimisticRetry optimisticRetry, Clock clock) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.optimisticRetry = Objects.requireNonNull(optimisticRetry, "optimisticRetry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Pipeline create(Actor actor, CreatePipelineCommand command) {
        UserId user = ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, command.project());
        if (!access.canUpdateBuilds()) {
            throw new ForbiddenException();
        }
        validate(command);
        return optimisticRetry.run(() -> {
            Instant now = clock.instant();
            Pipeline pipeline = pipelines.insert(new Pipeline(pipelines.nextId(),
                    pipelines.nextIid(access.project().id()), access.project().id(), command.ref(), command.tag(),
                    command.commit(), command.source(), JobStatus.CREATED, command.stages(), command.variables(), user,
                    now, now, null, null, 0, command.beforeSha(), command.repository()));
            for (JobSpec spec : command.jobs()) {
                jobs.insert(Job.create(jobs.nextId(), pipeline.projectId(), pipeline.id(), spec, command.ref(),
                        command.tag(), user, now));
            }
            return progress.advance(pipeline.id());
        });
    }

    /** The checks GitLab's config validation makes on what it hands to pipeline creation. */
    private static void validate(CreatePipelineCommand command) {
        // No repository holds a ref longer than Jobyard stores (1024 characters): GitLab's answer for a ref it does not
        // find, instead of a database error.
        if (command.ref().isBlank() || command.ref().length() > MAX_REF_LENGTH) {
            throw new BadRequestException("Reference not found");
        }
        if (command.jobs().isEmpty()) {
            throw new BadRequestException("No stages / jobs for this pipeline.");
        }
        Map<String, JobSpec> byName = new HashMap<>();
        for (JobSpec spec : command.jobs()) {
            if (byName.put(spec.name(), spec) != null) {
                throw new BadRequestException("jobs config should contain unique job names: " + spec.name());
            }
            if (spec.stageIdx() >= command.stages().size()
                    || !command.stages().get(spec.stageIdx()).equals(spec.stage())) {
                throw new BadRequestException(spec.name() + " job: chosen stage " + spec.stage() + " does not exist; "
                        + "available stages are " + String.join(", ", command.stages()));
            }
        }
        for (JobSpec spec : command.jobs()) {
            for (String need : spec.needs()) {
                if (need.equals(spec.name()) || !byName.containsKey(need)) {
                    throw new BadRequestException("'" + spec.name() + "' job needs '" + need
                            + "' job, but '" + need + "' does not exist in the pipeline");
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (JobSpec spec : command.jobs()) {
            requireNoCycle(spec.name(), byName, new HashSet<>(), done);
        }
    }

    private static void requireNoCycle(String name, Map<String, JobSpec> byName, Set<String> path, Set<String> done) {
        if (done.contains(name)) {
            return;
        }
        if (!path.add(name)) {
            throw new BadRequestException("circular dependency detected in `needs`");
        }
        List<String> needs = byName.get(name).needs();
        for (String need : needs) {
            requireNoCycle(need, byName, path, done);
        }
        path.remove(name);
        done.add(name);
    }
}
