package io.jobyard.application.service.runner;

import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code GET /jobs/:id/artifacts}: a running job downloads a dependency's archive with its own token. */
class DownloadDependencyServiceTest {
    private static final byte[] ZIP = "PK\u0003\u0004 pretend this is a zip".getBytes(StandardCharsets.ISO_8859_1);

    private final RunnerTestbed bed = new RunnerTestbed();
    private final DownloadDependencyUseCase downloads = bed.services.downloadDependency();
    private final Pipeline pipeline = bed.pipeline(List.of("build", "test"),
            JobSpec.simple("build", "build", 0), JobSpec.simple("test", "test", 1));

    private JobArtifact storeArchive(Job job) {
        String key = "artifacts/" + job.id() + "/archive";
        bed.artifactStore.put(key, ZIP);
        return bed.repos.artifacts().insert(new JobArtifact(bed.repos.artifacts().nextId(), job.id(), job.projectId(),
                ArtifactFileType.ARCHIVE, ArtifactFormat.ZIP, "artifacts.zip", ZIP.length, TestData.digest("zip"),
                null, false, ArtifactAccessibility.PUBLIC, key, bed.clock.instant()));
    }

    /** Builds with an archive, then hands out the test job; returns the test job's payload. */
    private JobRequestPayload testJobAfterBuild(boolean withArchive) {
        var runner = bed.untaggedRunner();
        JobRequestPayload build = bed.assigned(runner);
        if (withArchive) {
            storeArchive(bed.job(JobId.of(build.id())));
        }
        bed.report(build, "success");
        return bed.assigned(runner);
    }

    private static byte[] read(Download download, ByteRange range) throws IOException {
        try (BlobContent content = download.open(range)) {
            return content.stream().readAllBytes();
        }
    }

    @Test
    void the_running_job_downloads_its_dependencys_archive_as_a_ranged_stream() throws IOException {
        JobRequestPayload test = testJobAfterBuild(true);
        JobId build = JobId.of(test.dependencies().get(0).id());

        Download download = downloads.download(build, test.token());

        assertThat(download.filename()).isEqualTo("artifacts.zip");
        assertThat(download.size()).isEqualTo(ZIP.length);
        assertThat(download.redirect()).isEmpty();
        assertThat(read(download, ByteRange.ALL)).isEqualTo(ZIP);
        assertThat(read(download, new ByteRange(2, 3))).containsExactly(ZIP[2], ZIP[3], ZIP[4]);
    }

    @Test
    void an_expired_archive_still_downloads() throws IOException {
        JobRequestPayload test = testJobAfterBuild(true);
        Job build = bed.job(JobId.of(test.dependencies().get(0).id()));
        bed.repos.jobs().update(build.withArtifactsExpireAt(bed.clock.instant().minusSeconds(60), bed.clock.instant()));

        assertThat(read(downloads.download(build.id(), test.token()), ByteRange.ALL)).isEqualTo(ZIP);
    }

    @Test
    void a_token_of_no_running_job_is_unauthorized() {
        JobRequestPayload test = testJobAfterBuild(true);
        JobId build = JobId.of(test.dependencies().get(0).id());

        assertThatThrownBy(() -> downloads.download(build, "glcbt-nobody")).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> downloads.download(build, null)).isInstanceOf(UnauthorizedException.class);
        bed.report(test, "success");
        assertThatThrownBy(() -> downloads.download(build, test.token())).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void an_unknown_job_is_forbidden_and_one_without_archive_not_found() {
        JobRequestPayload test = testJobAfterBuild(false);

        assertThatThrownBy(() -> downloads.download(JobId.of(9_999), test.token()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> downloads.download(JobId.of(test.dependencies().get(0).id()), test.token()))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));
    }

    @Test
    void a_job_of_another_project_is_out_of_the_tokens_reach() {
        JobRequestPayload test = testJobAfterBuild(false);
        Project other = bed.data.project("acme", "other", Visibility.PUBLIC, true);
        Pipeline theirs = bed.pipeline(other, "main", false, TestData.commit(TestData.unique()), List.of(),
                List.of("build"), JobSpec.simple("theirs", "build", 0));
        Job foreign = bed.job(theirs, "theirs");
        storeArchive(foreign);

        assertThatThrownBy(() -> downloads.download(foreign.id(), test.token()))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void the_downloading_jobs_user_must_be_able_to_read_the_projects_jobs() {
        Job build = bed.job(pipeline, "build");
        storeArchive(build);
        String token = "glcbt-outsiders-job-token-0123";
        Job outsidersJob = bed.repos.jobs().insert(bed.data.jobBuilder(pipeline, "outsider")
                .userId(bed.outsider.id()).status(JobStatus.RUNNING).startedAt(bed.clock.instant())
                .tokenDigest(TestData.digest(token)).build());
        assertThat(outsidersJob.status()).isEqualTo(JobStatus.RUNNING);

        assertThatThrownBy(() -> downloads.download(build.id(), token)).isInstanceOf(ForbiddenException.class);
    }
}
