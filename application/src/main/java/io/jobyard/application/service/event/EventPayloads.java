package io.jobyard.application.service.event;

import io.jobyard.application.port.in.event.HookPayload;
import io.jobyard.application.port.in.event.JobHookPayload;
import io.jobyard.application.port.in.event.PipelineHookPayload;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the data of GitLab's job and pipeline hooks for an event: what webhooks send, what in-process listeners get
 * and what issue 16's event stream shows, so all three say the same. The records are read as they are now (GitLab's
 * hook workers also read the job when they run, not when it changed); the status is the event's. A pipeline's jobs,
 * their users, runners and archives are read in one query each.
 */
public final class EventPayloads {
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final ProjectRepository projects;
    private final UserRepository users;
    private final RunnerRepository runners;
    private final ArtifactRepository artifacts;
    private final Transactor transactor;
    private final Clock clock;

    public EventPayloads(JobRepository jobs, PipelineRepository pipelines, ProjectRepository projects,
                         UserRepository users, RunnerRepository runners, ArtifactRepository artifacts,
                         Transactor transactor, Clock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.users = Objects.requireNonNull(users, "users");
        this.runners = Objects.requireNonNull(runners, "runners");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The payload of {@code event}, or empty when its job, pipeline or project no longer exists. */
    public Optional<HookPayload> payload(StatusEvent event) {
        Objects.requireNonNull(event, "event");
        return transactor.reading(() -> event.kind() == EventKind.JOB ? jobPayload(event) : pipelinePayload(event));
    }

    private Optional<HookPayload> jobPayload(StatusEvent event) {
        Optional<Job> found = jobs.findById(event.job());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Job job = withStatus(found.get(), event);
        Optional<Pipeline> pipeline = pipelines.findById(job.pipelineId());
        Optional<Project> project = projects.findById(job.projectId());
        if (pipeline.isEmpty() || project.isEmpty()) {
            return Optional.empty();
        }
        User user = job.userId() == null ? null : users.findById(job.userId()).orElse(null);
        Runner runner = job.runnerId() == null ? null : runners.findById(job.runnerId()).orElse(null);
        int retries = (int) jobs.findByPipeline(job.pipelineId()).stream()
                .filter(other -> other.retried() && other.name().equals(job.name()) && !other.id().equals(job.id()))
                .count();
        return Optional.of(new JobHookPayload(event, job, pipeline.get(), project.get(), user, runner, retries,
                clock.instant()));
    }

    private static Job withStatus(Job job, StatusEvent event) {
        return job.status() == event.status() ? job : job.toBuilder().status(event.status()).build();
    }

    private Optional<HookPayload> pipelinePayload(StatusEvent event) {
        Optional<Pipeline> found = pipelines.findById(event.pipeline());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Pipeline current = found.get();
        // Only the status is the event's: Pipeline.withStatus would also move the times.
        Pipeline pipeline = current.status() == event.status() ? current
                : new Pipeline(current.id(), current.iid(), current.projectId(), current.ref(), current.tag(),
                current.commit(), current.source(), event.status(), current.stages(), current.variables(),
                current.userId(), current.createdAt(), current.updatedAt(), current.startedAt(),
                current.finishedAt(), current.lockVersion(), current.beforeSha(), current.repository());
        Optional<Project> project = projects.findById(pipeline.projectId());
        if (project.isEmpty()) {
            return Optional.empty();
        }
        List<Job> latest = jobs.findByPipeline(pipeline.id()).stream().filter(job -> !job.retried()).toList();
        Set<UserId> userIds = latest.stream().map(Job::userId).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        if (pipeline.userId() != null) {
            userIds.add(pipeline.userId());
        }
        Map<UserId, User> usersById = userIds.isEmpty() ? Map.of() : users.findByIds(userIds);
        Set<RunnerId> runnerIds = latest.stream().map(Job::runnerId).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Map<RunnerId, Runner> runnersById = runnerIds.isEmpty() ? Map.of() : runners.findByIds(runnerIds);
        Map<JobId, List<JobArtifact>> artifactsByJob = latest.isEmpty() ? Map.of()
                : artifacts.findByJobs(latest.stream().map(Job::id).toList());
        List<PipelineHookPayload.Build> builds = new ArrayList<>(latest.size());
        // GitLab's latest_builds come newest first.
        for (int i = latest.size() - 1; i >= 0; i--) {
            Job job = latest.get(i);
            JobArtifact archive = artifactsByJob.getOrDefault(job.id(), List.of()).stream()
                    .filter(a -> a.fileType() == ArtifactFileType.ARCHIVE).findFirst().orElse(null);
            builds.add(new PipelineHookPayload.Build(job, job.userId() == null ? null : usersById.get(job.userId()),
                    job.runnerId() == null ? null : runnersById.get(job.runnerId()), archive));
        }
        User user = pipeline.userId() == null ? null : usersById.get(pipeline.userId());
        return Optional.of(new PipelineHookPayload(event, pipeline, project.get(), user, builds, clock.instant()));
    }
}
