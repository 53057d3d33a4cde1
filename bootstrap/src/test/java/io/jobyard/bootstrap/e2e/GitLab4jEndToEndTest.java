package io.jobyard.bootstrap.e2e;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.ProjectsUseCase.NewProject;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.runner.AppendTraceUseCase.AppendTraceCommand;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RequestJobUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.application.port.in.runner.UpdateJobUseCase.UpdateJobCommand;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.Standalone;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.Pager;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.JobStatus;
import org.gitlab4j.models.Constants.JobScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real GitLab client against the standalone server (H2 file database, filesystem storage, port 0): every JobApi
 * call gitlab4j makes, asserting what the client returns. The data is made the way production makes it: a pipeline
 * from definitions, a runner that requests the jobs, streams logs, uploads artifacts and finishes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitLab4jEndToEndTest {
    private static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    static Path dataDir;

    private static Standalone server;
    private static GitLabApi gitlab;
    private static long projectId;
    private static long pipelineId;
    private static long compileId;
    private static long unitId;
    private static long shipId;

    @BeforeAll
    static void startServerAndRunAPipeline() throws IOException {
        server = Standalone.start(Configuration.from(Map.of(
                "JOBYARD_PORT", "0",
                "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(),
                "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN)));
        gitlab = new GitLabApi("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);

        Jobyard.UseCases useCases = server.jobyard().useCases();
        Actor admin = useCases.authenticate().byAccessToken(ADMIN_TOKEN);
        Project project = useCases.projects().createProject(admin,
                new NewProject("Demo", "demo", "acme", Visibility.PRIVATE, false));
        projectId = project.id().value();
        Pipeline pipeline = useCases.createPipeline().create(admin, new CreatePipelineCommand(
                ProjectRef.of(project.id()), "main", false,
                Commit.ofSha(SHA, OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(1))),
                PipelineSource.API, List.of("build", "test", "deploy"),
                List.of(JobSpec.simple("compile", "build", 0),
                        JobSpec.simple("unit", "test", 1),
                        JobSpec.simple("ship", "deploy", 2).withWhen(WhenCondition.MANUAL, null)
                                .withAllowFailure(true)),
                List.of()));
        pipelineId = pipeline.id().value();

        String runnerToken = useCases.runners().create(admin, NewRunner.instance("e2e runner", List.of())).token();
        JobRequestPayload compile = request(useCases, runnerToken);
        compileId = compile.id();
        useCases.appendTrace().append(new AppendTraceCommand(JobId.of(compileId), compile.token(), 0,
                new ByteArrayInputStream("compiling\n".getBytes(StandardCharsets.UTF_8))));
        useCases.appendTrace().append(new AppendTraceCommand(JobId.of(compileId), compile.token(), 10,
                new ByteArrayInputStream("done\n".getBytes(StandardCharsets.UTF_8))));
        useCases.uploadArtifact().upload(UploadArtifactCommand.archive(JobId.of(compileId), compile.token(),
                new ByteArrayInputStream(zip("out/report.txt", "all green\n"))));
        useCases.updateJob().update(new UpdateJobCommand(JobId.of(compileId), compile.token(), "success", null, 0));

        JobRequestPayload unit = request(useCases, runnerToken);
        unitId = unit.id();
        useCases.uploadArtifact().upload(UploadArtifactCommand.archive(JobId.of(unitId), unit.token(),
                new ByteArrayInputStream(zip("junit/summary.txt", "42 tests\n"))));
        useCases.updateJob().update(new UpdateJobCommand(JobId.of(unitId), unit.token(), "success", null, 0));
        shipId = unitId + 1;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void listsTheProjectsJobsNewestFirstWithScopes() throws GitLabApiException {
        List<Job> jobs = gitlab.getJobApi().getJobs(projectId);

        assertThat(jobs).extracting(Job::getName).containsExactly("ship", "unit", "compile");
        assertThat(jobs).extracting(Job::getStatus)
                .containsExactly(JobStatus.MANUAL, JobStatus.SUCCESS, JobStatus.SUCCESS);
        assertThat(gitlab.getJobApi().getJobs(projectId, JobScope.MANUAL)).extracting(Job::getName)
                .containsExactly("ship");
    }

    @Test
    @Order(2)
    void pagesThroughTheJobs() throws GitLabApiException {
        Pager<Job> pager = gitlab.getJobApi().getJobs(projectId, 2);

        assertThat(pager.next()).extracting(Job::getName).containsExactly("ship", "unit");
        assertThat(pager.hasNext()).isTrue();
        assertThat(pager.next()).extracting(Job::getName).containsExactly("compile");
        assertThat(pager.hasNext()).isFalse();
    }

    @Test
    @Order(3)
    void readsOneJobWithItsArtifactsAndPipeline() throws GitLabApiException {
        Job job = gitlab.getJobApi().getJob(projectId, compileId);

        assertThat(job.getName()).isEqualTo("compile");
        assertThat(job.getStatus()).isEqualTo(JobStatus.SUCCESS);
        assertThat(job.getStage()).isEqualTo("build");
        assertThat(job.getRef()).isEqualTo("main");
        assertThat(job.getArtifactsFile().getFilename()).isEqualTo("artifacts.zip");
        assertThat(job.getPipeline().getId()).isEqualTo(pipelineId);
        assertThat(job.getCommit().getId()).isEqualTo(SHA);
        assertThat(job.getStartedAt()).isNotNull();
        assertThat(job.getFinishedAt()).isNotNull();
    }

    @Test
    @Order(4)
    void readsTheLog() throws GitLabApiException {
        assertThat(gitlab.getJobApi().getTrace(projectId, compileId)).isEqualTo("compiling\ndone\n");
    }

    @Test
    @Order(5)
    void downloadsTheArchiveByJobAndByRef() throws Exception {
        try (InputStream archive = gitlab.getJobApi().downloadArtifactsFile(projectId, compileId)) {
            assertThat(unzip(archive, "out/report.txt")).isEqualTo("all green\n");
        }
        try (InputStream archive = gitlab.getJobApi().downloadArtifactsFile(projectId, "main", "unit")) {
            assertThat(unzip(archive, "junit/summary.txt")).isEqualTo("42 tests\n");
        }
    }

    @Test
    @Order(6)
    void downloadsOneFileFromTheArchive() throws Exception {
        try (InputStream file = gitlab.getJobApi().downloadSingleArtifactsFile(projectId, compileId,
                "out/report.txt")) {
            assertThat(new String(file.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("all green\n");
        }
    }

    @Test
    @Order(7)
    void listsThePipelinesJobs() throws GitLabApiException {
        assertThat(gitlab.getJobApi().getJobsForPipeline(projectId, pipelineId)).extracting(Job::getName)
                .containsExactly("ship", "unit", "compile");
    }

    @Test
    @Order(8)
    void keepsAndDeletesArtifacts() throws GitLabApiException {
        Job kept = gitlab.getJobApi().keepArtifacts(projectId, unitId);
        assertThat(kept.getArtifactsExpireAt()).isNull();

        gitlab.getJobApi().deleteArtifacts(projectId, unitId);

        assertThat(gitlab.getJobApi().getJob(projectId, unitId).getArtifactsFile()).isNull();
    }

    @Test
    @Order(9)
    void playsCancelsAndRetriesTheManualJob() throws GitLabApiException {
        Job played = gitlab.getJobApi().playJob(projectId, shipId);
        assertThat(played.getStatus()).isEqualTo(JobStatus.PENDING);

        Job canceled = gitlab.getJobApi().cancelJob(projectId, shipId);
        assertThat(canceled.getStatus()).isEqualTo(JobStatus.CANCELED);

        Job retried = gitlab.getJobApi().retryJob(projectId, shipId);
        assertThat(retried.getId()).isGreaterThan(shipId);
        assertThat(retried.getName()).isEqualTo("ship");
        assertThat(retried.getStatus()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    @Order(10)
    void erasesAJob() throws GitLabApiException {
        Job erased = gitlab.getJobApi().eraseJob(projectId, compileId);

        assertThat(erased.getErasedAt()).isNotNull();
        assertThat(erased.getArtifactsFile()).isNull();
        assertThat(gitlab.getJobApi().getTrace(projectId, compileId)).isEmpty();
    }

    @Test
    @Order(11)
    void answersMissingJobsAndBadTokensTheWayTheClientExpects() {
        assertThatThrownBy(() -> gitlab.getJobApi().getJob(projectId, 999_999L))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(404));
        GitLabApi stranger = new GitLabApi("http://127.0.0.1:" + server.port(), "not-a-real-token-at-all");
        assertThatThrownBy(() -> stranger.getJobApi().getJobs(projectId))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(401));
    }

    private static JobRequestPayload request(Jobyard.UseCases useCases, String runnerToken) {
        RequestJobUseCase.JobRequestResult result = useCases.requestJob().request(
                new RequestJobUseCase.JobRequest(runnerToken, "s_e2e", null, null));
        assertThat(result).isInstanceOf(RequestJobUseCase.Assigned.class);
        return ((RequestJobUseCase.Assigned) result).payload();
    }

    private static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String unzip(InputStream archive, String name) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(archive)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no entry " + name);
    }
}
