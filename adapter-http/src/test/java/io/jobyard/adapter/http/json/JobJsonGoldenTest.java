package io.jobyard.adapter.http.json;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Job entity byte for byte against golden files (contract §1): key order, nulls, the two conditional keys, time
 * formats. Golden files live in {@code src/test/resources/golden}; run with {@code -Dgolden.update=true} to rewrite
 * them after a deliberate change, then review the diff.
 */
class JobJsonGoldenTest {
    static final Instant NOW = Instant.parse("2024-05-02T12:00:00.250Z");
    static final Instant T0 = Instant.parse("2024-05-02T11:00:00.123456Z");
    static final WebUrls URLS = new WebUrls("https://ci.example.com");

    static final Project PROJECT = new Project(ProjectId.of(5), "Tools App", "app", "acme/tools", Visibility.PRIVATE,
            false, true, T0);
    static final User ADA = new User(UserId.of(7), "ada", "Ada Lovelace", "ada@example.com", false, false,
            UserState.ACTIVE, Instant.parse("2023-01-01T00:00:00Z"));
    static final Commit COMMIT = new Commit("0123456789abcdef0123456789abcdef01234567", "Fix the build",
            "Fix the build\n\nLonger body", "Ada Lovelace", "ada@example.com",
            OffsetDateTime.of(2024, 5, 2, 10, 30, 0, 0, ZoneOffset.ofHours(1)), "Grace Hopper",
            "grace@example.com", OffsetDateTime.of(2024, 5, 2, 6, 31, 5, 0, ZoneOffset.ofHours(-5)),
            List.of("89abcdef0123456789abcdef0123456789abcdef"));
    static final Pipeline PIPELINE = new Pipeline(PipelineId.of(9), 3, PROJECT.id(), "main", false, COMMIT,
            PipelineSource.PUSH, JobStatus.RUNNING, List.of("build", "test"), List.of(), ADA.id(), T0,
            T0.plusSeconds(5), T0.plusSeconds(1), null, 0);
    static final Runner RUNNER = new Runner(RunnerId.of(11), "shared-1", RunnerType.INSTANCE_TYPE, null, true,
            List.of("linux", "docker"), true, false, "digest", T0.minus(Duration.ofDays(1)), NOW.minusSeconds(30));

    @Test
    void successfulJobWithArtifacts() {
        Job job = finished(JobStatus.SUCCESS).artifactsExpireAt(NOW.plus(Duration.ofDays(30))).build();
        assertGolden("job-with-artifacts.json", view(job, List.of(archive(job), artifact(job, 2,
                ArtifactFileType.METADATA), artifact(job, 3, ArtifactFileType.TRACE)), RUNNER));
    }

    @Test
    void successfulJobWithoutArtifacts() {
        Job job = finished(JobStatus.SUCCESS).build();
        assertGolden("job-without-artifacts.json", view(job, List.of(), null));
    }

    @Test
    void expiredArtifactsAreListedButHaveNoArtifactsFile() {
        Job job = finished(JobStatus.SUCCESS).artifactsExpireAt(NOW.minusSeconds(1)).build();
        assertGolden("job-with-expired-artifacts.json", view(job, List.of(archive(job)), RUNNER));
    }

    @Test
    void failedJobHasAFailureReason() {
        Job job = finished(JobStatus.FAILED).failureReason(FailureReason.SCRIPT_FAILURE).exitCode(1).build();
        assertGolden("job-failed.json", view(job, List.of(artifact(job, 3, ArtifactFileType.TRACE)), RUNNER));
    }

    @Test
    void erasedJob() {
        Job job = finished(JobStatus.SUCCESS).erasedAt(NOW.minusSeconds(10)).erasedBy(ADA.id()).build();
        assertGolden("job-erased.json", view(job, List.of(), RUNNER));
    }

    @Test
    void runningJobHasLiveDurations() {
        Job job = base(JobStatus.RUNNING)
                .queuedAt(NOW.minusMillis(120_500))
                .startedAt(NOW.minusMillis(90_500))
                .coverage(87.5)
                .build();
        assertGolden("job-running.json", view(job, List.of(), RUNNER));
    }

    @Test
    void createdJobHasNullTimesAndNoUser() {
        Job job = base(JobStatus.CREATED).userId(null).build();
        assertGolden("job-created.json", new JobView(job, PROJECT, PIPELINE, null, null,
                new JobArtifacts(job, List.of(), false), true));
    }

    private static Job.Builder base(JobStatus status) {
        return Job.builder().id(JobId.of(42)).projectId(PROJECT.id()).pipelineId(PIPELINE.id())
                .spec(JobSpec.simple("rspec 1/2", "test", 1).withTags(List.of("linux", "docker")))
                .status(status).ref("main").userId(ADA.id()).runnerId(RUNNER.id())
                .createdAt(T0).updatedAt(T0.plusSeconds(60));
    }

    private static Job.Builder finished(JobStatus status) {
        return base(status).queuedAt(T0.plusSeconds(1)).startedAt(T0.plusMillis(2_500)).finishedAt(T0.plusSeconds(65));
    }

    private static JobArtifact archive(Job job) {
        return new JobArtifact(ArtifactId.of(1), job.id(), PROJECT.id(), ArtifactFileType.ARCHIVE,
                ArtifactFileType.ARCHIVE.requiredFormat(), "artifacts.zip", 1000, null, job.artifactsExpireAt(),
                false, ArtifactAccessibility.PUBLIC, "k1", T0);
    }

    private static JobArtifact artifact(Job job, long id, ArtifactFileType type) {
        return new JobArtifact(ArtifactId.of(id), job.id(), PROJECT.id(), type, type.requiredFormat(),
                type.defaultFilename(), 10 * id, null, null, false, ArtifactAccessibility.PUBLIC, "k" + id, T0);
    }

    private static JobView view(Job job, List<JobArtifact> artifacts, Runner runner) {
        return new JobView(job, PROJECT, PIPELINE, ADA, runner, new JobArtifacts(job, artifacts, false), false);
    }

    private static void assertGolden(String name, JobView view) {
        String actual = new String(Json.write(JobJson.from(view, URLS, NOW)), StandardCharsets.UTF_8);
        Path source = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update")) {
            try {
                Files.writeString(source, pretty(actual) + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        String expected = compact(read(name));
        assertThat(actual).isEqualTo(expected);
    }

    static String read(String name) {
        try (InputStream in = JobJsonGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The golden file as compact JSON, key order kept. */
    static String compact(String json) {
        return new String(Json.write(Json.tree(json.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    }

    private static String pretty(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Json.tree(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
