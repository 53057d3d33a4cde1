package io.jobyard.application.service;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.memory.InMemoryRepositories;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.memory.InMemoryTransactor;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.service.admin.AccessTokensService;
import io.jobyard.application.service.admin.AdministerService;
import io.jobyard.application.service.admin.UserLifecycleService;
import io.jobyard.application.service.auth.AuthenticateService;
import io.jobyard.application.service.job.GetJobService;
import io.jobyard.application.service.job.JobActionsService;
import io.jobyard.application.service.job.JobViewAssembler;
import io.jobyard.application.service.job.ListJobsService;
import io.jobyard.application.service.pipeline.CreatePipelineService;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Every service of the application wired over the in-memory ports, with a hand-moved clock, and the cast of a
 * permission test: one user per role in a private project, an admin, and an outsider.
 */
public final class ServiceFixture {
    /** "Now" in every service test: a day after the test data's reference time. */
    public static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));
    /** Jobs created more than this long ago are archived. */
    public static final Duration ARCHIVE_AFTER = Duration.ofDays(90);

    public final Repositories repos = InMemoryRepositories.create();
    public final TestData data = new TestData(repos);
    public final MutableClock clock = new MutableClock(NOW);
    public final ArchivePolicy archivePolicy = new ArchivePolicy(ARCHIVE_AFTER);
    public final InMemoryArchiveIndexRepository archiveIndex =
            new InMemoryArchiveIndexRepository((InMemoryTransactor) repos.transactor());
    public final InMemoryArtifactStore artifactStore = new InMemoryArtifactStore();
    public final InMemoryTraceStore traces = new InMemoryTraceStore();
    public final OptimisticRetry optimisticRetry = new OptimisticRetry(repos.transactor());
    public final JobViewAssembler views = new JobViewAssembler(repos.pipelines(), repos.users(), repos.runners(),
            repos.artifacts(), archivePolicy, clock);
    public final PipelineProgress progress = new PipelineProgress(repos.jobs(), repos.pipelines(), archivePolicy, clock);

    public final ListJobsService listJobs = new ListJobsService(repos.projects(), repos.jobs(), repos.pipelines(), views,
            repos.transactor());
    public final GetJobService getJob = new GetJobService(repos.projects(), repos.jobs(), views, repos.transactor());
    public final JobActionsService actions = new JobActionsService(repos.projects(), repos.jobs(), repos.artifacts(),
            archiveIndex, repos.runners(), artifactStore, traces, progress, views, optimisticRetry, archivePolicy,
            clock);
    public final CreatePipelineService createPipeline = new CreatePipelineService(repos.projects(), repos.pipelines(),
            repos.jobs(), progress, optimisticRetry, clock);
    public final AuthenticateService authenticate = new AuthenticateService(repos.users(), repos.jobs(), repos.projects(),
            clock);
    public final AdministerService administer = new AdministerService(repos.users(), repos.projects(), repos.transactor(),
            clock);
    public final AccessTokensService accessTokens = new AccessTokensService(repos.users(), repos.transactor(), clock,
            io.jobyard.domain.user.TokenLifetime.DEFAULT);
    public final UserLifecycleService userLifecycle = new UserLifecycleService(repos.users(), repos.projects(),
            repos.transactor(), clock);

    public final User admin = data.admin("root");
    public final User owner = data.user("olivia");
    public final User maintainer = data.user("max");
    public final User developer = data.user("dev");
    public final User reporter = data.user("rita");
    public final User guest = data.user("gus");
    public final User outsider = data.user("otto");

    /** Private, public pipelines off; every role above is a member. */
    public final Project project = data.project("acme", "app", Visibility.PRIVATE, false);
    public final ProjectRef ref = ProjectRef.of(project.id());

    public ServiceFixture() {
        data.member(project, owner, Role.OWNER);
        data.member(project, maintainer, Role.MAINTAINER);
        data.member(project, developer, Role.DEVELOPER);
        data.member(project, reporter, Role.REPORTER);
        data.member(project, guest, Role.GUEST);
    }

    public static Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    public static Actor readOnly(User user) {
        return new Actor.UserActor(user, Set.of(TokenScope.READ_API));
    }

    public static Actor jobToken(User user, Job job) {
        return new Actor.JobTokenActor(user, job);
    }

    /** A project with its members: the same cast in another project. */
    public Project project(String path, Visibility visibility, boolean publicBuilds) {
        Project other = data.project("acme", path, visibility, publicBuilds);
        data.member(other, owner, Role.OWNER);
        data.member(other, maintainer, Role.MAINTAINER);
        data.member(other, developer, Role.DEVELOPER);
        data.member(other, reporter, Role.REPORTER);
        data.member(other, guest, Role.GUEST);
        return other;
    }

    public Pipeline pipeline() {
        return data.pipeline(project, "main", JobStatus.RUNNING);
    }

    /** A job of {@code pipeline} in {@code status}, created a moment before NOW, run by {@code user}. */
    public Job job(Pipeline pipeline, JobSpec spec, JobStatus status, User user) {
        return data.insert(TestData.withTimesOf(data.jobBuilder(pipeline, spec.name()), status)
                .spec(spec).userId(user == null ? null : user.id()).createdAt(NOW.minusSeconds(600))
                .updatedAt(NOW.minusSeconds(60)));
    }

    public Job job(Pipeline pipeline, String name, JobStatus status) {
        return job(pipeline, JobSpec.simple(name, "test", 1), status, developer);
    }

    public Job reload(Job job) {
        return repos.jobs().findById(job.id()).orElseThrow();
    }

    public Pipeline reload(Pipeline pipeline) {
        return repos.pipelines().findById(pipeline.id()).orElseThrow();
    }
}
