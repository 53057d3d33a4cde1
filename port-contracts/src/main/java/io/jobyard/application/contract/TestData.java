package io.jobyard.application.contract;

import io.jobyard.domain.access.Role;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds and stores consistent test records through the repository ports: a job's project, pipeline, user and runner
 * always exist before it does. Times are whole milliseconds from {@link #T0} so every store keeps them exactly.
 */
public final class TestData {
    /** The reference instant of every test record. */
    public static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Repositories repos;

    public TestData(Repositories repos) {
        this.repos = repos;
    }

    public Repositories repos() {
        return repos;
    }

    /** A distinct number for names, digests and shas. */
    public static int unique() {
        return SEQUENCE.incrementAndGet();
    }

    // ----------------------------------------------------------------------------------------------------- users

    public User user(String username) {
        return repos.users().insert(userRecord(username, false, UserState.ACTIVE));
    }

    public User admin(String username) {
        return repos.users().insert(userRecord(username, true, UserState.ACTIVE));
    }

    public User userRecord(String username, boolean admin, UserState state) {
        return new User(repos.users().nextId(), username, "Name of " + username, username + "@example.com", admin,
                false, state, T0);
    }

    public AccessToken tokenRecord(User user, String digest, Set<TokenScope> scopes, LocalDate expiresAt,
                                   boolean revoked) {
        return new AccessToken(repos.users().nextTokenId(), user.id(), "token " + unique(), digest, scopes, expiresAt,
                revoked, T0);
    }

    // -------------------------------------------------------------------------------------------------- projects

    /** A private project in namespace {@code group}, public pipelines off. */
    public Project project(String path) {
        return project("group", path, Visibility.PRIVATE, false);
    }

    public Project project(String namespacePath, String path, Visibility visibility, boolean publicBuilds) {
        return repos.projects().insert(projectRecord(namespacePath, path, visibility, publicBuilds));
    }

    public Project projectRecord(String namespacePath, String path, Visibility visibility, boolean publicBuilds) {
        return new Project(repos.projects().nextId(), "Project " + path, path, namespacePath, visibility,
                publicBuilds, false, T0);
    }

    public void member(Project project, User user, Role role) {
        repos.projects().putMember(project.id(), user.id(), role);
    }

    // ------------------------------------------------------------------------------------------------- pipelines

    public static String sha(int n) {
        return String.format("%040x", n);
    }

    public static Commit commit(int n) {
        return Commit.ofSha(sha(n), OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0, ZoneOffset.ofHours(1)));
    }

    /** A stored pipeline of {@code ref} in status {@code created}. */
    public Pipeline pipeline(Project project, String ref) {
        return pipeline(project, ref, JobStatus.CREATED);
    }

    public Pipeline pipeline(Project project, String ref, JobStatus status) {
        return repos.pipelines().insert(pipelineRecord(project, ref, status));
    }

    public Pipeline pipelineRecord(Project project, String ref, JobStatus status) {
        return new Pipeline(repos.pipelines().nextId(), repos.pipelines().nextIid(project.id()), project.id(), ref,
                false, commit(unique()), PipelineSource.PUSH, status, List.of("build", "test", "deploy"), List.of(),
                null, T0, T0, null, null, 0);
    }

    /** A pipeline with every optional field set, to check that a store keeps all of them. */
    public Pipeline fullPipelineRecord(Project project, User user) {
        OffsetDateTime authored = OffsetDateTime.of(2024, 4, 30, 18, 1, 2, 345_000_000, ZoneOffset.ofHours(2));
        OffsetDateTime committed = OffsetDateTime.of(2024, 4, 30, 12, 5, 6, 0, ZoneOffset.ofHoursMinutes(-5, -30));
        Commit commit = new Commit(sha(unique()), "Fix the thing", "Fix the thing\n\nLonger body", "Ada",
                "ada@example.com",
                authored, "Grace", "grace@example.com", committed, List.of(sha(unique()), sha(unique())));
        return new Pipeline(repos.pipelines().nextId(), repos.pipelines().nextIid(project.id()), project.id(),
                "v1.2.3", true, commit, PipelineSource.WEB, JobStatus.FAILED, List.of("build", "test"),
                List.of(new JobVariable("DEPLOY", "yes", true, false), JobVariable.of("FILE_VAR", "x")),
                user.id(), T0, T0.plusMillis(5_123), T0.plusMillis(1_001), T0.plusMillis(5_123), 0);
    }

    // ------------------------------------------------------------------------------------------------------ jobs

    /**
     * A job builder for {@code pipeline}: a fresh id, a plain spec in stage "test", status created at {@link #T0}.
     * Store it with {@link #insert}.
     */
    public Job.Builder jobBuilder(Pipeline pipeline, String name) {
        return Job.builder()
                .id(repos.jobs().nextId())
                .projectId(pipeline.projectId())
                .pipelineId(pipeline.id())
                .spec(JobSpec.simple(name, "test", 1))
                .status(JobStatus.CREATED)
                .ref(pipeline.ref())
                .createdAt(T0)
                .updatedAt(T0);
    }

    public Job insert(Job job) {
        return repos.jobs().insert(job);
    }

    public Job insert(Job.Builder job) {
        return insert(job.build());
    }

    /** A stored job in {@code status}, with the timestamps that status implies. */
    public Job job(Pipeline pipeline, String name, JobStatus status) {
        return insert(withTimesOf(jobBuilder(pipeline, name), status));
    }

    /** Sets the status and the queued/started/finished times a job in that status has. */
    public static Job.Builder withTimesOf(Job.Builder builder, JobStatus status) {
        builder.status(status);
        boolean queued = status != JobStatus.CREATED && status != JobStatus.MANUAL && status != JobStatus.SCHEDULED
                && status != JobStatus.SKIPPED;
        boolean started = status == JobStatus.RUNNING || status == JobStatus.CANCELING
                || status == JobStatus.SUCCESS || status == JobStatus.FAILED || status == JobStatus.CANCELED;
        boolean finished = status == JobStatus.SUCCESS || status == JobStatus.FAILED || status == JobStatus.CANCELED;
        if (queued) {
            builder.queuedAt(T0.plusSeconds(1));
        }
        if (started) {
            builder.startedAt(T0.plusSeconds(2));
        }
        if (finished) {
            builder.finishedAt(T0.plusSeconds(3));
        }
        if (status == JobStatus.FAILED) {
            builder.failureReason(FailureReason.SCRIPT_FAILURE).exitCode(1);
        }
        if (status == JobStatus.SCHEDULED) {
            builder.scheduledAt(T0.plusSeconds(60));
        }
        return builder;
    }

    /** A job with every optional field set, to check that a store keeps all of them. */
    public Job fullJobRecord(Pipeline pipeline, User user, Runner runner, Job retriedFrom) {
        JobExecution execution = new JobExecution("ruby:3.3", List.of("postgres:16", "redis:7"),
                List.of("bundle install"), List.of("bundle exec rspec", "echo done"), List.of("cleanup"),
                List.of("compile"),
                new JobExecution.ArtifactsSpec("reports", List.of("out/", "coverage/"), List.of("out/*.tmp"), true,
                        "always", "1 week", "developer", Map.of("junit", List.of("rspec.xml"))),
                3600);
        JobSpec spec = new JobSpec("rspec 1/2", "test", 1, WhenCondition.DELAYED, Duration.ofMinutes(5), true, true,
                List.of("compile"), List.of("linux", "docker"),
                List.of(new JobVariable("SECRET", "s3cr3t", true, false),
                        new JobVariable("CONFIG", "a=b", false, true)),
                "production", new RetryPolicy(2, Set.of("script_failure", "api_failure")), true, execution);
        return jobBuilder(pipeline, "ignored")
                .spec(spec)
                .status(JobStatus.FAILED)
                .tag(true)
                .userId(user.id())
                .runnerId(runner.id())
                .coverage(87.25)
                .failureReason(FailureReason.STUCK_OR_TIMEOUT_FAILURE)
                .exitCode(137)
                .createdAt(T0)
                .queuedAt(T0.plusMillis(1_250))
                .startedAt(T0.plusMillis(2_500))
                .finishedAt(T0.plusMillis(9_999))
                .scheduledAt(T0.plusMillis(300_000))
                .waitingForResourceAt(T0.plusMillis(1_100))
                .updatedAt(T0.plusMillis(10_000))
                .erasedAt(T0.plusMillis(20_000))
                .erasedBy(user.id())
                .artifactsExpireAt(T0.plus(Duration.ofDays(7)))
                .retried(true)
                .retriedFrom(retriedFrom.id())
                .autoRetries(1)
                .tokenDigest(digest("full-job-" + unique()))
                .degenerated(true)
                .build();
    }

    /** The SHA-256 digest (lowercase hex) of {@code secret}, as tokens are stored. */
    public static String digest(String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    // ------------------------------------------------------------------------------------------------- artifacts

    public JobArtifact artifactRecord(Job job, ArtifactFileType type, Instant expireAt, boolean locked) {
        return new JobArtifact(repos.artifacts().nextId(), job.id(), job.projectId(), type, type.requiredFormat(),
                type.defaultFilename(), 1000 + unique(), digest("artifact-" + unique()), expireAt, locked,
                ArtifactAccessibility.PUBLIC, "artifacts/" + job.id() + "/" + type.wireName() + "-" + unique(), T0);
    }

    public JobArtifact artifact(Job job, ArtifactFileType type, Instant expireAt, boolean locked) {
        return repos.artifacts().insert(artifactRecord(job, type, expireAt, locked));
    }

    public JobArtifact artifact(Job job, ArtifactFileType type) {
        return artifact(job, type, null, false);
    }

    // --------------------------------------------------------------------------------------------------- runners

    public Runner runner(String description, boolean gracefulCancel) {
        return repos.runners().insert(runnerRecord(description, gracefulCancel));
    }

    public Runner runnerRecord(String description, boolean gracefulCancel) {
        return new Runner(repos.runners().nextId(), description, RunnerType.INSTANCE_TYPE, null, true,
                List.of("docker", "linux"), true, gracefulCancel, digest("runner-" + unique()), T0, null);
    }
}
