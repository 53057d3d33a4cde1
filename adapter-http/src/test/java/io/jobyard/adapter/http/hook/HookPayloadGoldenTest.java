package io.jobyard.adapter.http.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jobyard.application.port.in.event.JobHookPayload;
import io.jobyard.application.port.in.event.PipelineHookPayload;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.WhenCondition;
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
 * GitLab's job and pipeline hook payloads byte for byte against golden files (lib/gitlab/data_builder/build.rb and
 * pipeline.rb): key order, nulls, Sidekiq's time format, durations. Run with {@code -Dgolden.update=true} to rewrite
 * them after a deliberate change, then review the diff.
 */
class HookPayloadGoldenTest {
    static final Instant NOW = Instant.parse("2024-05-02T12:00:00.250Z");
    static final Instant T0 = Instant.parse("2024-05-02T11:00:00.123456Z");
    static final JsonHookPayloadEncoder ENCODER = new JsonHookPayloadEncoder("https://ci.example.com");

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
            PipelineSource.PUSH, JobStatus.SUCCESS, List.of("build", "test"),
            List.of(new JobVariable("DEPLOY_TO", "staging", false, false)), ADA.id(), T0, T0.plusSeconds(70),
            T0.plusSeconds(1), T0.plusSeconds(66), 4);
    static final Runner RUNNER = new Runner(RunnerId.of(11), "shared-1", RunnerType.INSTANCE_TYPE, null, true,
            List.of("linux", "docker"), true, false, "digest", T0.minus(Duration.ofDays(1)), NOW.minusSeconds(30));

    private static Job.Builder job(long id, String name, String stage, JobStatus status) {
        return Job.builder().id(JobId.of(id)).projectId(PROJECT.id()).pipelineId(PIPELINE.id())
                .spec(JobSpec.simple(name, stage, 1)).status(status).ref("main").userId(ADA.id())
                .createdAt(T0).updatedAt(T0.plusSeconds(60));
    }

    private static StatusEvent event(EventKind kind, JobId job, JobStatus previous, JobStatus status) {
        return new StatusEvent(31, PROJECT.id(), 12, kind, job, PIPELINE.id(), status, previous,
                "6f8b1a8e-1a2b-4c3d-9e8f-0a1b2c3d4e5f", NOW);
    }

    @Test
    void jobHookOfAFinishedJob() {
        Job job = job(42, "rspec", "test", JobStatus.SUCCESS).runnerId(RUNNER.id()).queuedAt(T0.plusSeconds(1))
                .startedAt(T0.plusMillis(2_500)).finishedAt(T0.plusSeconds(65)).build();
        assertGolden("hook-job-success.json", ENCODER.encode(new JobHookPayload(
                event(EventKind.JOB, job.id(), JobStatus.RUNNING, JobStatus.SUCCESS), job, PIPELINE, PROJECT, ADA,
                RUNNER, 1, NOW)));
    }

    @Test
    void jobHookOfAJustCreatedJobWithoutUserOrRunner() {
        Job job = job(43, "deploy", "deploy", JobStatus.CREATED).userId(null).build();
        Pipeline running = new Pipeline(PIPELINE.id(), PIPELINE.iid(), PROJECT.id(), "main", false, COMMIT,
                PipelineSource.WEB, JobStatus.CREATED, PIPELINE.stages(), List.of(), null, T0, T0, null, null, 0);
        assertGolden("hook-job-created.json", ENCODER.encode(new JobHookPayload(
                event(EventKind.JOB, job.id(), null, JobStatus.CREATED), job, running, PROJECT, null, null, 0,
                NOW)));
    }

    @Test
    void pipelineHookWithItsJobs() {
        Job build = job(40, "compile", "build", JobStatus.SUCCESS).runnerId(RUNNER.id()).queuedAt(T0)
                .startedAt(T0.plusSeconds(1)).finishedAt(T0.plusSeconds(31)).build();
        Job failed = job(41, "lint", "test", JobStatus.FAILED).runnerId(RUNNER.id())
                .spec(JobSpec.simple("lint", "test", 1).withAllowFailure(true)).failureReason(
                        FailureReason.SCRIPT_FAILURE).queuedAt(T0.plusSeconds(31)).startedAt(T0.plusSeconds(32))
                .finishedAt(T0.plusSeconds(66)).build();
        Job manual = job(44, "release", "test", JobStatus.MANUAL)
                .spec(JobSpec.simple("release", "test", 1).withWhen(WhenCondition.MANUAL, null)).build();
        JobArtifact archive = new JobArtifact(ArtifactId.of(1), build.id(), PROJECT.id(), ArtifactFileType.ARCHIVE,
                ArtifactFileType.ARCHIVE.requiredFormat(), "artifacts.zip", 1000, null, null, false,
                ArtifactAccessibility.PUBLIC, "k1", T0);
        assertGolden("hook-pipeline-success.json", ENCODER.encode(new PipelineHookPayload(
                event(EventKind.PIPELINE, null, JobStatus.RUNNING, JobStatus.SUCCESS), PIPELINE, PROJECT, ADA,
                List.of(new PipelineHookPayload.Build(manual, ADA, null, null),
                        new PipelineHookPayload.Build(failed, ADA, RUNNER, null),
                        new PipelineHookPayload.Build(build, ADA, RUNNER, archive)), NOW)));
    }

    private static void assertGolden(String name, String actual) {
        Path source = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update")) {
            try {
                Files.writeString(source, pretty(actual) + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(actual).isEqualTo(compact(read(name)));
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String pretty(String json) {
        try {
            return MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String compact(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            return MAPPER.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String name) {
        try (InputStream in = HookPayloadGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
