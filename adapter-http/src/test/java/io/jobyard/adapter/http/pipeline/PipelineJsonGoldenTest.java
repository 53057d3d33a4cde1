package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.json.PipelineBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelineView;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitLab's pipeline entities byte for byte against hand-written golden files in {@code src/test/resources/golden}:
 * key order (the basic fields first, GitLab's re-exposed dates where they first appeared, {@code name} last on the
 * "with metadata" variants), nulls, time formats, the basic user, the detailed status of a relative-root install.
 */
class PipelineJsonGoldenTest {
    static final Instant T0 = Instant.parse("2024-05-02T11:00:00.123456Z");
    static final WebUrls URLS = new WebUrls("https://ci.example.com/ci");
    static final Project PROJECT = new Project(ProjectId.of(5), "Tools App", "app", "acme/tools", Visibility.PRIVATE,
            false, true, T0);
    static final User ADA = new User(UserId.of(7), "ada", "Ada Lovelace", "ada@example.com", false, false,
            UserState.ACTIVE, Instant.parse("2023-01-01T00:00:00Z"));
    static final Commit COMMIT = new Commit("0123456789abcdef0123456789abcdef01234567", "Fix the build",
            "Fix the build\n\nLonger body", "Ada Lovelace", "ada@example.com",
            OffsetDateTime.of(2024, 5, 2, 10, 30, 0, 0, ZoneOffset.ofHours(1)), "Grace Hopper",
            "grace@example.com", OffsetDateTime.of(2024, 5, 2, 6, 31, 5, 0, ZoneOffset.ofHours(-5)), List.of());

    private static Pipeline pipeline(String ref, boolean tag, JobStatus status, Instant started, Instant finished) {
        return new Pipeline(PipelineId.of(61), 12, PROJECT.id(), ref, tag, COMMIT, PipelineSource.API, status,
                List.of("build", "test"), List.of(JobVariable.of("SECRET", "not shown")), tag ? null : ADA.id(), T0,
                finished == null ? T0 : finished, started, finished, 3);
    }

    private static final Pipeline PASSED = pipeline("main", false, JobStatus.SUCCESS,
            Instant.parse("2024-05-02T11:00:10.123Z"), Instant.parse("2024-05-02T11:05:30Z"));

    @Test
    void listEntry() {
        assertGolden("pipeline-list-entry.json",
                PipelineBasicWithMetadataJson.of(PipelineBasicJson.from(PASSED, PROJECT, URLS)));
    }

    @Test
    void singlePipelinePassedWithWarningsAndCoverage() {
        PipelineView view = new PipelineView(PASSED, PROJECT, ADA, true, 200.0 / 3);
        assertGolden("pipeline-with-metadata.json", PipelineWithMetadataJson.of(PipelineJson.from(view, URLS)));
    }

    @Test
    void newTagPipelineWaitingForAPersonWithoutUser() {
        PipelineView view = new PipelineView(pipeline("v1.0", true, JobStatus.MANUAL, null, null), PROJECT, null,
                false, null);
        assertGolden("pipeline-created.json", PipelineJson.from(view, URLS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "created,              Created,   created,                   status_created,   created",
            "pending,              Pending,   pending,                   status_pending,   pending",
            "running,              Running,   running,                   status_running,   running",
            "success,              Passed,    passed,                    status_success,   success",
            "failed,               Failed,    failed,                    status_failed,    failed",
            "canceled,             Canceled,  canceled,                  status_canceled,  canceled",
            "canceling,            Canceling, canceling,                 status_canceled,  canceling",
            "skipped,              Skipped,   skipped,                   status_skipped,   skipped",
            "manual,               Blocked,   waiting for manual action, status_manual,    manual",
            "scheduled,            Delayed,   waiting for delayed job,   status_scheduled, scheduled",
            "preparing,            Preparing, preparing,                 status_preparing, preparing",
            "waiting_for_resource, Waiting,   waiting for resource,      status_pending,   waiting-for-resource",
            "waiting_for_callback, Waiting,   waiting for callback,      status_pending,   waiting-for-callback"})
    void detailedStatusOfEveryPipelineStatus(String status, String text, String label, String icon, String group) {
        DetailedStatusJson detailed = DetailedStatusJson.of(JobStatus.fromWireName(status).orElseThrow(), false,
                PROJECT, 61, new WebUrls("http://localhost:8080"));
        assertThat(detailed.text()).isEqualTo(text);
        assertThat(detailed.label()).isEqualTo(label);
        assertThat(detailed.tooltip()).isEqualTo(label);
        assertThat(detailed.icon()).isEqualTo(icon);
        assertThat(detailed.group()).isEqualTo(group);
        assertThat(detailed.detailsPath()).isEqualTo("/acme/tools/app/-/pipelines/61");
        assertThat(detailed.favicon()).startsWith("/assets/ci_favicons/favicon_status_").endsWith(".png");
    }

    @Test
    void warningsOnlyChangeAPassedPipeline() {
        assertThat(DetailedStatusJson.of(JobStatus.FAILED, true, PROJECT, 61, URLS).text()).isEqualTo("Failed");
    }

    private static void assertGolden(String name, Object entity) {
        String actual = new String(Json.write(entity), StandardCharsets.UTF_8);
        assertThat(actual).isEqualTo(compact(read(name)));
    }

    private static String read(String name) {
        try (InputStream in = PipelineJsonGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String compact(String json) {
        return new String(Json.write(Json.tree(json.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    }
}
