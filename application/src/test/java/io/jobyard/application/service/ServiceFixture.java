package io.jobyard.application.service;

import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase;
import io.jobyard.application.service.job.JobViewAssembler;
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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every service of the application wired over the in-memory ports, with a hand-moved clock, and the cast of a
 * permission test: one user per role in a private project, an admin, and an outsider.
 */
public final class ServiceFixture {
    /** "Now" in every service test: a day after the test data's reference time. */
    public static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));
    /** Jobs created more than this long ago are archived. */
    public static final Duration ARCHIVE_AFTER = Duration.ofDays(90);
    /** How old a job change must be before the change feed lists it. */
    public static final Duration CHANGE_FEED_DELAY = Duration.ofSeconds(5);

    public final MutableClock clock = new MutableClock(NOW);
    /** The ports the services run on; a test may {@link #rewire} services over other ones. */
    public final InMemoryPorts ports = new InMemoryPorts(clock);
    public final Repositories repos = ports.repos;
    public final TestData data = new TestData(repos);
    public final ArchivePolicy archivePolicy = new ArchivePolicy(ARCHIVE_AFTER);
    public final InMemoryArchiveIndexRepository archiveIndex = ports.archiveIndexStore;
    public final InMemoryArtifactStore artifactStore = (InMemoryArtifactStore) ports.artifactStore;
    public final InMemoryTraceStore traces = (InMemoryTraceStore) ports.traceStore;
    public final Services.Settings settings = Services.Settings.defaults(URI.create("https://ci.example.com"))
            .withArchivePolicy(archivePolicy).withChangeFeedDelay(CHANGE_FEED_DELAY);
    public final Services services = ports.wire(settings);
    public final JobViewAssembler views = services.jobViews();
    public final PipelineProgress progress = services.pipelineProgress();
    public final OptimisticRetry optimisticRetry = new OptimisticRetry(services.transactor());

    public final ListJobsUseCase listJobs = services.listJobs();
    public final GetJobUseCase getJob = services.getJob();
    public final JobActionsUseCase actions = services.jobActions();
    public final CreatePipelineUseCase createPipeline = services.createPipeline();
    public final AuthenticateUseCase authenticate = services.authenticate();
    public final UsersUseCase users = services.users();
    public final ProjectsUseCase projects = services.projects();
    public final MembersUseCase members = services.members();
    public final AccessTokensUseCase accessTokens = services.accessTokens();

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

    /** The services again, over the same ports, with other settings. */
    public Services rewire(Services.Settings settings) {
        return ports.wire(settings);
    }

    /** The services again, over the same stores, with {@code change} made to (a copy of) the ports. */
    public Services rewire(Consumer<InMemoryPorts> change) {
        return ports.wire(settings, change);
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
