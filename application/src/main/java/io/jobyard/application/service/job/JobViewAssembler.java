package io.jobyard.application.service.job;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.AccessCache;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the {@link JobView}s of a page of jobs: pipeline, user, runner and artifacts of every job are fetched with one
 * batch query each (plus one for the refs' latest successful pipelines), so a page of 100 jobs costs the same handful
 * of queries as a page of one.
 */
public final class JobViewAssembler {
    private final PipelineRepository pipelines;
    private final UserRepository users;
    private final RunnerRepository runners;
    private final ArtifactRepository artifacts;
    private final ArchivePolicy archivePolicy;
    private final Clock clock;
    private final AccessCache cache;

    /** An assembler that reads the jobs' users for every page. */
    public JobViewAssembler(PipelineRepository pipelines, UserRepository users, RunnerRepository runners,
                            ArtifactRepository artifacts, ArchivePolicy archivePolicy, Clock clock) {
        this(pipelines, users, runners, artifacts, archivePolicy, clock, AccessCache.off());
    }

    /**
     * An assembler that takes the jobs' users from {@code cache} (whose version the request's {@link ProjectGate}
     * checked before the jobs were read).
     */
    public JobViewAssembler(PipelineRepository pipelines, UserRepository users, RunnerRepository runners,
                            ArtifactRepository artifacts, ArchivePolicy archivePolicy, Clock clock,
                            AccessCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.users = Objects.requireNonNull(users, "users");
        this.runners = Objects.requireNonNull(runners, "runners");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.archivePolicy = Objects.requireNonNull(archivePolicy, "archivePolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public JobView view(Project project, Job job) {
        return views(project, List.of(job)).get(0);
    }

    /** The views of {@code jobs} (all of {@code project}), in the same order. */
    public List<JobView> views(Project project, List<Job> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Set<PipelineId> pipelineIds = new LinkedHashSet<>();
        Set<UserId> userIds = new LinkedHashSet<>();
        Set<RunnerId> runnerIds = new LinkedHashSet<>();
        Set<String> refs = new LinkedHashSet<>();
        List<JobId> jobIds = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            if (!job.projectId().equals(project.id())) {
                throw new IllegalArgumentException("job " + job.id() + " is not of project " + project.id());
            }
            pipelineIds.add(job.pipelineId());
            if (job.userId() != null) {
                userIds.add(job.userId());
            }
            if (job.runnerId() != null) {
                runnerIds.add(job.runnerId());
            }
            refs.add(job.ref());
            jobIds.add(job.id());
        }
        Map<PipelineId, Pipeline> pipelineById = pipelines.findByIds(pipelineIds);
        Map<UserId, User> userById = userIds.isEmpty() ? Map.of() : cache.users(userIds, users::findByIds);
        Map<RunnerId, Runner> runnerById = runnerIds.isEmpty() ? Map.of() : runners.findByIds(runnerIds);
        Map<JobId, List<JobArtifact>> artifactsByJob = artifacts.findByJobs(jobIds);
        // GitLab keeps the artifacts of the latest successful pipeline of each ref ("artifacts locked").
        Map<String, PipelineId> latestSuccessful = pipelines.latestSuccessfulIdsForRefs(project.id(), refs);

        List<JobView> views = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            Pipeline pipeline = pipelineById.get(job.pipelineId());
            if (pipeline == null) {
                throw new IllegalStateException("job " + job.id() + " has no pipeline " + job.pipelineId());
            }
            boolean locked = job.pipelineId().equals(latestSuccessful.get(job.ref()));
            JobArtifacts jobArtifacts = new JobArtifacts(job, artifactsByJob.getOrDefault(job.id(), List.of()), locked);
            views.add(new JobView(job, project, pipeline,
                    job.userId() == null ? null : userById.get(job.userId()),
                    job.runnerId() == null ? null : runnerById.get(job.runnerId()),
                    jobArtifacts, archivePolicy.isArchived(job, now)));
        }
        return views;
    }
}
