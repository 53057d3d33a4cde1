package io.jobyard.application.service.runner;

import io.jobyard.application.Services;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.memory.InMemoryTraceStore;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequest;
import io.jobyard.application.port.in.runner.RequestJobUseCase.JobRequestResult;
import io.jobyard.application.port.in.runner.RequestJobUseCase.RunnerInfo;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.JobUpdated;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.UpdateJobCommand;
import io.jobyard.application.port.in.runner.UpdateJobUseCase;
import io.jobyard.application.service.MutableClock;
import io.jobyard.application.service.pipeline.PipelineProgress;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.User;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner protocol wired over the in-memory ports with a hand-moved clock: a private project with a maintainer and a
 * developer, an admin who creates pipelines and runners, and helpers that act as a runner would.
 */
final class RunnerTestbed {
    /** "Now" in every runner test. */
    static final Instant NOW = TestData.T0.plus(Duration.ofDays(1));
    static final URI EXTERNAL_URL = URI.create("https://ci.example.com");

    final MutableClock clock = new MutableClock(NOW);
    final InMemoryPorts ports = new InMemoryPorts(clock);
    final Repositories repos = ports.repos;
    final TestData data = new TestData(repos);
    final InMemoryArtifactStore artifactStore = (InMemoryArtifactStore) ports.artifactStore;
    final InMemoryTraceStore traces = (InMemoryTraceStore) ports.traceStore;
    final RunnerSettings settings;
    final Services services;
    final PipelineProgress progress;
    final JobFinisher finisher;
    final JobTokenAuthenticator authenticator;
    final CreatePipelineUseCase createPipeline;
    final AuthenticateUseCase authenticate;
    final RunnersUseCase runners;
    final RequestJobUseCase requestJob;
    final UpdateJobUseCase updateJob;
    /** The jobs {@link #log} wrote to. */
    private final List<JobId> logged = new CopyOnWriteArrayList<>();

    final User admin = data.admin("root");
    final User maintainer = data.user("max");
    final User developer = data.user("dev");
    final User outsider = data.user("otto");
    final Project project = data.project("acme", "app", Visibility.PRIVATE, false);

    RunnerTestbed() {
        this(RunnerSettings.of(EXTERNAL_URL));
    }

    RunnerTestbed(RunnerSettings settings) {
        this.settings = settings;
        this.services = ports.wire(Services.Settings.defaults(EXTERNAL_URL).withRunner(settings));
        this.progress = services.pipelineProgress();
        this.finisher = services.jobFinisher();
        this.authenticator = services.jobTokens();
        this.createPipeline = services.createPipeline();
        this.authenticate = services.authenticate();
        this.runners = services.runners();
        this.requestJob = services.requestJob();
        this.updateJob = services.updateJob();
        data.member(project, maintainer, Role.MAINTAINER);
        data.member(project, developer, Role.DEVELOPER);
    }

    /** The job request of another instance over the same stores. */
    RequestJobUseCase newRequestJobService() {
        return ports.wire(services.settings()).requestJob();
    }

    /**
     * The jobs whose log was archived, in the order it was, once the background worker has archived what the endings
     * queued (it runs here first, as an instance's archiving threads would): the work that follows every completion.
     * Every job handed to a runner by {@link #assigned} has a log line, so it shows here once completed.
     */
    List<Job> archivedLogs() {
        services.traceArchiveWorker("testbed-archiver", TraceArchiveSettings.DEFAULTS).archiveAllDue();
        return logged.stream()
                .flatMap(id -> repos.artifacts().findByJobAndType(id, ArtifactFileType.TRACE).stream())
                .sorted(Comparator.comparingLong(artifact -> artifact.id().value()))
                .map(JobArtifact::jobId)
                .map(this::job)
                .toList();
    }

    /** The jobs whose log waits in the archive queue (the ending queued it; no worker has archived it yet). */
    java.util.Set<JobId> queuedLogs() {
        return ports.traceArchiveQueue.queued(logged);
    }

    /** A log line in the live log of {@code job}, as a runner would send it. */
    void log(JobId job) {
        byte[] line = ("log of job " + job.value() + "\n").getBytes(StandardCharsets.UTF_8);
        traces.append(job, traces.length(job), new ByteArrayInputStream(line), 1 << 20);
        logged.add(job);
    }

    static Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    // --------------------------------------------------------------------------------------------------- runners

    CreatedRunner instanceRunner(List<String> tags, boolean runUntagged) {
        return runners.create(as(admin),
                new NewRunner(RunnerType.INSTANCE_TYPE, null, "shared", false, runUntagged,
                        tags));
    }

    CreatedRunner untaggedRunner() {
        return instanceRunner(List.of(), true);
    }

    Runner storedRunner(CreatedRunner runner) {
        return repos.runners().findById(runner.runner().id()).orElseThrow();
    }

    // ------------------------------------------------------------------------------------------------- pipelines

    Pipeline pipeline(List<String> stages, JobSpec... jobs) {
        return pipeline(project, "main", false, TestData.commit(TestData.unique()), List.of(), stages, jobs);
    }

    Pipeline pipeline(Project in, String ref, boolean tag, Commit commit, List<JobVariable> variables,
                      List<String> stages, JobSpec... jobs) {
        return createPipeline.create(as(admin), new CreatePipelineCommand(ProjectRef.of(in.id()), ref, tag, commit,
                PipelineSource.API, stages, List.of(jobs), variables));
    }

    /** A pipeline created with everything {@code command} says, by the administrator. */
    Pipeline pipeline(CreatePipelineCommand command) {
        return createPipeline.create(as(admin), command);
    }

    /** A pipeline of one stage "test" with untagged jobs of these names. */
    Pipeline oneStage(String... names) {
        JobSpec[] specs = new JobSpec[names.length];
        for (int i = 0; i < names.length; i++) {
            specs[i] = JobSpec.simple(names[i], "test", 0);
        }
        return pipeline(List.of("test"), specs);
    }

    Job job(Pipeline pipeline, String name) {
        return repos.jobs().findLatestByName(pipeline.id(), name).orElseThrow();
    }

    Job job(JobId id) {
        return repos.jobs().findById(id).orElseThrow();
    }

    Pipeline reload(Pipeline pipeline) {
        return repos.pipelines().findById(pipeline.id()).orElseThrow();
    }

    // ------------------------------------------------------------------------------------------ acting as runner

    JobRequestResult request(CreatedRunner runner) {
        return requestJob.request(new JobRequest(runner.token(), "s_1", null, RunnerInfo.UNKNOWN));
    }

    JobRequestResult request(CreatedRunner runner, Map<String, Boolean> features) {
        return requestJob.request(new JobRequest(runner.token(), "s_1", null,
                new RunnerInfo("runner", "17.0.0", "abc", "linux", "amd64", "docker", features)));
    }

    /** What gitlab-runner 17 announces in {@code info.features} (the ones GitLab may require of a runner). */
    static final Map<String, Boolean> GITLAB_RUNNER_FEATURES = Map.of("upload_multiple_artifacts", true,
            "artifacts_exclude", true, "refspecs", true, "multi_build_steps", true, "return_exit_code", true,
            "fallback_cache_keys", true, "trace_checksum", true, "cancelable", true, "masking", true);

    /** Requests a job as gitlab-runner does, announcing its features, and expects one. */
    JobRequestPayload assigned(CreatedRunner runner) {
        JobRequestResult result = request(runner, GITLAB_RUNNER_FEATURES);
        assertThat(result).isInstanceOf(Assigned.class);
        JobRequestPayload payload = ((Assigned) result).payload();
        log(JobId.of(payload.id()));
        return payload;
    }

    JobUpdated report(JobRequestPayload payload, String state) {
        return updateJob.update(new UpdateJobCommand(JobId.of(payload.id()), payload.token(), state, null, null));
    }

    JobUpdated fail(JobRequestPayload payload, String reason, Integer exitCode) {
        return updateJob.update(new UpdateJobCommand(JobId.of(payload.id()), payload.token(), "failed", reason,
                exitCode));
    }

    /** Picks the next job with {@code runner} and reports it successful; returns its payload. */
    JobRequestPayload runToSuccess(CreatedRunner runner) {
        JobRequestPayload payload = assigned(runner);
        report(payload, "success");
        return payload;
    }
}
