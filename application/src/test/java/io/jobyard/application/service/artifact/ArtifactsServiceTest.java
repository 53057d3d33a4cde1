package io.jobyard.application.service.artifact;

import io.jobyard.application.memory.InMemoryArtifactStore;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.ArtifactPath;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipException;

import static io.jobyard.application.service.artifact.ArtifactWorld.as;
import static io.jobyard.application.service.artifact.TestBytes.body;
import static io.jobyard.application.service.artifact.TestBytes.readAll;
import static io.jobyard.application.service.artifact.TestBytes.text;
import static io.jobyard.application.service.artifact.Zips.File;
import static io.jobyard.application.service.artifact.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactsServiceTest {
    private final ArtifactWorld world = new ArtifactWorld();
    private final ArtifactsUseCase service = world.artifacts();
    private final byte[] report = Zips.text(40_000);
    private final byte[] binary = Zips.random(10_000, 7);
    private final byte[] archive = zip(
            File.directory("out/"),
            new File("out/report.txt", report, false),
            new File("out/app.bin", binary, true),
            File.stored("données/résumé.txt", "bonjour"),
            File.deflated("index.html", "<h1>hi</h1>"),
            File.stored("unknown.xyz", "?"));
    private final Pipeline pipeline = world.pipeline("main", JobStatus.RUNNING);
    private final JobArtifact stored = world.archiveFor(pipeline, "build", archive, JobStatus.SUCCESS);
    private final JobId job = stored.jobId();

    private static NotFoundException.Kind kindOf(Throwable e) {
        return ((NotFoundException) e).kind();
    }

    // ------------------------------------------------------------------------------------------- archive (3.10)

    @Nested
    class WholeArchive {
        @Test
        void isStreamedWithItsSizeDigestAndRanges() {
            Download download = service.archive(as(world.reporter), world.ref, job);

            assertThat(download.filename()).isEqualTo("artifacts.zip");
            assertThat(download.size()).isEqualTo(archive.length);
            assertThat(download.sha256()).isEqualTo(TestBytes.sha256(archive));
            assertThat(download.etag()).isEqualTo(download.sha256());
            assertThat(download.rangeable()).isTrue();
            assertThat(download.redirect()).isEmpty();
            assertThat(body(download)).isEqualTo(archive);
            BlobContent part = download.open(new ByteRange(10, 20));
            assertThat(part.totalSize()).isEqualTo(archive.length);
            assertThat(readAll(part)).isEqualTo(java.util.Arrays.copyOfRange(archive, 10, 30));
            assertThatThrownBy(() -> download.open(ByteRange.from(archive.length + 1L)))
                    .isInstanceOf(RangeNotSatisfiableException.class);
        }

        @Test
        void nothingIsReadUntilTheDownloadIsOpened() {
            world.store.clearReads();

            service.archive(as(world.reporter), world.ref, job);

            assertThat(world.store.reads()).isEmpty();
        }

        @Test
        void anExpiredArchiveStillDownloads() {
            world.clock.advance(Duration.ofDays(60));

            assertThat(body(service.archive(as(world.reporter), world.ref, job))).isEqualTo(archive);
        }

        @Test
        void redirectsToAPresignedUrlWhenConfiguredAndOffered() {
            world.store.offerPresignedUrls(URI.create("https://objects.example.com/bucket/"));

            Download streamed = service.archive(as(world.reporter), world.ref, job);
            Download redirected = world.artifacts(DownloadSettings.redirecting(Duration.ofMinutes(2)))
                    .archive(as(world.reporter), world.ref, job);

            assertThat(streamed.redirect()).isEmpty();
            assertThat(redirected.redirect()).hasValueSatisfying(url -> assertThat(url.toString())
                    .startsWith("https://objects.example.com/bucket/" + stored.storageKey()));
        }

        @Test
        void aJobWithoutArchiveIsPlainNotFound() {
            Job bare = world.data.job(pipeline, "lint", JobStatus.SUCCESS);

            assertThatThrownBy(() -> service.archive(as(world.reporter), world.ref, bare.id()))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));
        }

        @Test
        void checksRunInGitLabsOrder() {
            // project 404 → read_build 403 → job 404 (record) → artifact access 403
            assertThatThrownBy(() -> service.archive(as(world.outsider), world.ref, JobId.of(999_999)))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RESOURCE));
            assertThatThrownBy(() -> service.archive(as(world.guest), world.ref, JobId.of(999_999)))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.archive(as(world.reporter), world.ref, JobId.of(999_999)))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
            assertThatThrownBy(() -> service.archive(Actor.ANONYMOUS, world.ref, job))
                    .as("a private project is invisible").isInstanceOf(NotFoundException.class);
        }

        @Test
        void aJobOfAnotherProjectIsNotFound() {
            Project other = world.data.project("acme", "other", Visibility.PRIVATE, false);
            world.data.member(other, world.reporter, io.jobyard.domain.access.Role.REPORTER);

            assertThatThrownBy(() -> service.archive(as(world.reporter), ProjectRef.of(other.id()), job))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
        }

        @Test
        void privateArtifactsNeedADeveloperAndNoneNeedsMoreThanAnyRole() {
            Job privateJob = world.runningJob(pipeline, "secret");
            world.upload(privateJob, ArtifactFileType.ARCHIVE, ArtifactFormat.ZIP, null,
                    ArtifactAccessibility.PRIVATE, archive);
            Job hiddenJob = world.runningJob(pipeline, "hidden");
            world.upload(hiddenJob, ArtifactFileType.ARCHIVE, ArtifactFormat.ZIP, null,
                    ArtifactAccessibility.NONE, archive);

            assertThatThrownBy(() -> service.archive(as(world.reporter), world.ref, privateJob.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(body(service.archive(as(world.developer), world.ref, privateJob.id()))).isEqualTo(archive);
            assertThatThrownBy(() -> service.archive(as(world.maintainer), world.ref, hiddenJob.id()))
                    .isInstanceOf(ForbiddenException.class);
        }

        @Test
        void anonymousDownloadsFromAPublicProjectWithPublicPipelines() {
            Project open = world.data.project("oss", "lib", Visibility.PUBLIC, true);
            Project closedPipelines = world.data.project("oss", "closed", Visibility.PUBLIC, false);
            JobArtifact openArchive = world.archiveFor(world.data.pipeline(open, "main", JobStatus.RUNNING), "build",
                    archive, JobStatus.SUCCESS);
            JobArtifact closedArchive = world.archiveFor(
                    world.data.pipeline(closedPipelines, "main", JobStatus.RUNNING), "build", archive,
                    JobStatus.SUCCESS);

            assertThat(body(service.archive(Actor.ANONYMOUS, ProjectRef.of(open.id()), openArchive.jobId())))
                    .isEqualTo(archive);
            assertThatThrownBy(() -> service.archive(Actor.ANONYMOUS, ProjectRef.of(closedPipelines.id()),
                    closedArchive.jobId())).isInstanceOf(ForbiddenException.class);
        }
    }

    // -------------------------------------------------------------------------------------- single file (3.12)

    @Nested
    class SingleFile {
        @Test
        void aDeflatedEntryIsInflatedOnTheFlyFromOneRangedRead() {
            world.store.clearReads();

            Download download = service.file(as(world.reporter), world.ref, job, new ArtifactPath("out/report.txt"));

            assertThat(download.filename()).isEqualTo("report.txt");
            assertThat(download.size()).isEqualTo(report.length);
            assertThat(download.rangeable()).isFalse();
            assertThat(body(download)).isEqualTo(report);
            assertThat(world.store.reads()).hasSize(1);
            assertThat(world.store.reads().get(0).length()).isLessThan(report.length / 4);
        }

        @Test
        void aStoredEntryIsServedStraightFromTheArchiveRangeAndHonoursRanges() {
            Download download = service.file(as(world.reporter), world.ref, job, new ArtifactPath("out/app.bin"));
            assertThat(download.rangeable()).isTrue();
            assertThat(body(download)).isEqualTo(binary);

            world.store.clearReads();
            BlobContent middle = download.open(new ByteRange(1000, 50));

            assertThat(middle.offset()).isEqualTo(1000);
            assertThat(middle.totalSize()).isEqualTo(binary.length);
            assertThat(readAll(middle)).isEqualTo(java.util.Arrays.copyOfRange(binary, 1000, 1050));
            InMemoryArtifactStore.Read read = world.store.reads().get(0);
            assertThat(world.store.reads()).hasSize(1);
            assertThat(read.length()).isEqualTo(50);
            assertThat(readAll(download.open(ByteRange.from(binary.length - 3L)))).hasSize(3);
            assertThatThrownBy(() -> download.open(ByteRange.from(binary.length + 1L)))
                    .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(binary.length));
        }

        @Test
        void namesInDirectoriesAndNonAsciiNamesAreFound() {
            assertThat(text(service.file(as(world.reporter), world.ref, job,
                    new ArtifactPath("données/résumé.txt")))).isEqualTo("bonjour");
            assertThat(service.file(as(world.reporter), world.ref, job, new ArtifactPath("index.html"))
                    .filename()).isEqualTo("index.html");
        }

        @Test
        void aMissingEntryOrADirectoryIsPlainNotFound() {
            for (String path : List.of("out/missing.txt", "out/", "out", "OUT/app.bin")) {
                assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, path))
                        .as(path).isInstanceOfSatisfying(NotFoundException.class,
                                e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));
            }
        }

        @Test
        void expiredArtifactsAreNotFoundUnlessLocked() {
            world.clock.advance(Duration.ofDays(31));

            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, "out/app.bin"))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));

            // The job's pipeline becomes the latest successful one of its ref: its artifacts are locked.
            world.repos.pipelines().update(pipeline.withStatus(JobStatus.SUCCESS, world.clock.instant()));
            assertThat(body(service.file(as(world.reporter), world.ref, job, "out/app.bin"))).isEqualTo(binary);
        }

        @Test
        void aPathWithNulOrInvalidUtf8IsABadRequestButOnlyAfterTheAvailabilityCheck() {
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, "out/a\u0000b"))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason()).isEmpty());
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, "out/\uFFFD.txt"))
                    .isInstanceOf(BadRequestException.class);
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, "out/\uD800.txt"))
                    .isInstanceOf(BadRequestException.class);
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, "../out/app.bin"))
                    .as("an escaping name cannot be an entry").isInstanceOf(NotFoundException.class);

            world.clock.advance(Duration.ofDays(31));
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, job, "out/a\u0000b"))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        void theEtagIdentifiesTheEntryAndTheArchive() {
            Download app = service.file(as(world.reporter), world.ref, job, "out/app.bin");
            Download again = service.file(as(world.reporter), world.ref, job, "out/app.bin");
            Download other = service.file(as(world.reporter), world.ref, job, "out/report.txt");

            assertThat(app.etag()).isEqualTo(again.etag()).isNotEqualTo(other.etag()).isNotEqualTo(stored.sha256());
        }

        @Test
        void checksRunInGitLabsOrder() {
            assertThatThrownBy(() -> service.file(as(world.guest), world.ref, job, "out/app.bin"))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, JobId.of(424242), "x"))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
            Job bare = world.data.job(pipeline, "lint", JobStatus.SUCCESS);
            assertThatThrownBy(() -> service.file(as(world.reporter), world.ref, bare.id(), "x"))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));
        }

        @Test
        void anEntryWhoseDataDoesNotMatchItsCrcFailsTheDownload() {
            byte[] corrupt = zip(File.stored("a.txt", "hello world"), File.deflated("b.txt", "hello again"));
            int firstData = 30 + "a.txt".length();
            corrupt[firstData] ^= 0x20; // 'h' → 'H': same size, wrong CRC
            Job other = world.runningJob(pipeline, "corrupt");
            world.uploadArchive(other, corrupt);

            Download download = service.file(as(world.reporter), world.ref, other.id(), "a.txt");

            assertThatThrownBy(() -> body(download)).hasRootCauseInstanceOf(ZipException.class);
            assertThat(readAll(download.open(new ByteRange(1, 4)))).as("a range is not checked")
                    .asString().isEqualTo("ello");
        }

        @Test
        void anEntryThatInflatesBeyondItsDeclaredSizeFailsTheDownloadInsteadOfGrowing() throws IOException {
            byte[] content = Zips.text(100_000);
            byte[] lying = zip(new File("big.txt", content, false));
            int header = Zips.centralHeaders(lying).get(0);
            Zips.putLe32(lying, header + 24, 1000); // declares 1000 bytes
            Job other = world.runningJob(pipeline, "liar");
            world.uploadArchive(other, lying);

            Download download = service.file(as(world.reporter), world.ref, other.id(), "big.txt");
            assertThat(download.size()).isEqualTo(1000);

            // Its CRC is the whole file's, so not even the declared 1000 bytes are handed out whole.
            try (BlobContent content1 = download.open(ByteRange.ALL)) {
                assertThatThrownBy(() -> content1.stream().readNBytes(1000)).isInstanceOf(ZipException.class);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ by ref (3.11/13)

    @Nested
    class ByRef {
        @Test
        void resolvesTheLatestSuccessfulPipelineOfTheRefAndItsJobByName() {
            Pipeline older = world.pipeline("feature/login", JobStatus.RUNNING);
            world.archiveFor(older, "build", zip(File.stored("v.txt", "old")), JobStatus.SUCCESS);
            world.repos.pipelines().update(older.withStatus(JobStatus.SUCCESS, world.clock.instant()));
            Pipeline newer = world.pipeline("feature/login", JobStatus.RUNNING);
            world.archiveFor(newer, "build", zip(File.stored("v.txt", "new")), JobStatus.SUCCESS);
            world.repos.pipelines().update(newer.withStatus(JobStatus.SUCCESS, world.clock.instant()));
            Pipeline failing = world.pipeline("feature/login", JobStatus.RUNNING);
            world.archiveFor(failing, "build", zip(File.stored("v.txt", "broken")), JobStatus.FAILED);
            world.repos.pipelines().update(failing.withStatus(JobStatus.FAILED, world.clock.instant()));

            Download archiveByRef = service.archiveByRef(as(world.reporter), world.ref, "feature/login", "build");
            Download fileByRef = service.fileByRef(as(world.reporter), world.ref, "feature/login", "build",
                    new ArtifactPath("v.txt"));

            assertThat(text(service.fileByRef(as(world.reporter), world.ref, "feature/login", "build", "v.txt")))
                    .isEqualTo("new");
            assertThat(body(archiveByRef)).isEqualTo(zip(File.stored("v.txt", "new")));
            assertThat(fileByRef.filename()).isEqualTo("v.txt");
        }

        @Test
        void aRetriedJobIsReplacedByItsLatestRetry() {
            Pipeline done = world.pipeline("main", JobStatus.RUNNING);
            JobArtifact first = world.archiveFor(done, "build", zip(File.stored("v.txt", "first try")),
                    JobStatus.FAILED);
            Job firstJob = world.repos.jobs().findById(first.jobId()).orElseThrow();
            world.repos.jobs().update(firstJob.markRetried(world.clock.instant()));
            world.archiveFor(done, "build", zip(File.stored("v.txt", "second try")), JobStatus.SUCCESS);
            world.repos.pipelines().update(done.withStatus(JobStatus.SUCCESS, world.clock.instant()));

            assertThat(text(service.fileByRef(as(world.reporter), world.ref, "main", "build", "v.txt")))
                    .isEqualTo("second try");
        }

        @Test
        void noSuccessfulPipelineNoSuchJobOrNoDownloadableArtifactIsRecordNotFound() {
            Pipeline done = world.pipeline("release", JobStatus.RUNNING);
            Job onlyTrace = world.data.job(done, "notes", JobStatus.SUCCESS);
            world.data.artifact(onlyTrace, ArtifactFileType.TRACE);
            world.repos.pipelines().update(done.withStatus(JobStatus.SUCCESS, world.clock.instant()));

            for (String[] refAndName : new String[][]{{"nope", "build"}, {"release", "missing"}, {"release", "notes"}}) {
                assertThatThrownBy(() -> service.archiveByRef(as(world.reporter), world.ref, refAndName[0],
                        refAndName[1])).as(String.join("/", refAndName))
                        .isInstanceOfSatisfying(NotFoundException.class,
                                e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
            }
        }

        @Test
        void aJobWithADownloadableReportButNoArchiveIsFoundButHasNoArchive() {
            Pipeline done = world.pipeline("reports", JobStatus.RUNNING);
            Job tests = world.runningJob(done, "test");
            world.upload(tests, ArtifactFileType.JUNIT, ArtifactFormat.GZIP, null, null, new byte[]{1, 2});
            world.repos.pipelines().update(done.withStatus(JobStatus.SUCCESS, world.clock.instant()));

            assertThatThrownBy(() -> service.archiveByRef(as(world.reporter), world.ref, "reports", "test"))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.PLAIN));
        }

        @Test
        void fileByRefIgnoresExpiry() {
            world.repos.pipelines().update(pipeline.withStatus(JobStatus.SUCCESS, world.clock.instant()));
            Pipeline newer = world.pipeline("main", JobStatus.RUNNING);
            world.repos.pipelines().update(newer.withStatus(JobStatus.FAILED, world.clock.instant()));
            world.clock.advance(Duration.ofDays(45));

            assertThat(body(service.fileByRef(as(world.reporter), world.ref, "main", "build", "out/app.bin")))
                    .isEqualTo(binary);
        }

        @Test
        void readBuildIsCheckedBeforeResolution() {
            assertThatThrownBy(() -> service.archiveByRef(as(world.guest), world.ref, "nope", "build"))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    // ----------------------------------------------------------------------------------------- deletes (3.15/16)

    @Nested
    class Deletes {
        @Test
        void deletingAJobsArtifactsRemovesAllButTheLogRecordIndexAndBytes() {
            Job running = world.runningJob(pipeline, "deploy");
            JobArtifact zipArchive = world.uploadArchive(running, archive);
            JobArtifact junit = world.upload(running, ArtifactFileType.JUNIT, ArtifactFormat.GZIP, null, null,
                    new byte[]{1});
            JobArtifact trace = world.upload(running, ArtifactFileType.TRACE, ArtifactFormat.RAW, null, null,
                    "log".getBytes(StandardCharsets.UTF_8));

            service.deleteJobArtifacts(as(world.maintainer), world.ref, running.id());

            assertThat(world.repos.artifacts().findByJob(running.id())).containsExactly(trace);
            assertThat(world.index.findEntry(zipArchive.id(), "out/app.bin")).isEmpty();
            assertThat(world.store.keys()).doesNotContain(zipArchive.storageKey(), junit.storageKey())
                    .contains(trace.storageKey(), stored.storageKey());
            service.deleteJobArtifacts(as(world.maintainer), world.ref, running.id());
        }

        @Test
        void deletingNeedsAMaintainerAndAJobOfTheProject() {
            assertThatThrownBy(() -> service.deleteJobArtifacts(as(world.developer), world.ref, job))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.deleteJobArtifacts(as(world.maintainer), world.ref, JobId.of(987_654)))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
            assertThat(world.repos.artifacts().findByJob(job)).hasSize(1);
        }

        @Test
        void deletingAProjectsArtifactsExpiresTheUnlockedOnesAndTheSweeperRemovesThem() {
            Job tracing = world.data.job(pipeline, "traced", JobStatus.SUCCESS);
            JobArtifact trace = world.data.artifact(tracing, ArtifactFileType.TRACE);
            Pipeline kept = world.pipeline("stable", JobStatus.RUNNING);
            JobArtifact lockedArchive = world.archiveFor(kept, "build", archive, JobStatus.SUCCESS);
            world.repos.pipelines().update(kept.withStatus(JobStatus.SUCCESS, world.clock.instant()));

            assertThatThrownBy(() -> service.deleteProjectArtifacts(as(world.developer), world.ref))
                    .isInstanceOf(ForbiddenException.class);
            service.deleteProjectArtifacts(as(world.maintainer), world.ref);

            assertThat(world.repos.artifacts().findById(stored.id()).orElseThrow().expireAt())
                    .isEqualTo(world.clock.instant());
            assertThat(world.repos.artifacts().findById(trace.id()).orElseThrow().expireAt()).isNull();
            assertThat(world.repos.artifacts().findById(lockedArchive.id()).orElseThrow().expireAt())
                    .isAfter(world.clock.instant());

            world.clock.advance(Duration.ofSeconds(1));
            world.sweeper(10).sweep(10);
            assertThat(world.repos.artifacts().findById(stored.id())).isEmpty();
            assertThat(world.store.keys()).doesNotContain(stored.storageKey())
                    .contains(lockedArchive.storageKey());
            assertThat(world.repos.artifacts().findById(trace.id())).isPresent();
        }
    }
}
