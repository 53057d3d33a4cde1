package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.artifact.ArtifactTree;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.application.port.out.ArtifactIntegrityListener;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.ArtifactPath;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.Pipeline;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Artifact downloads and deletes through the API (contract §3.10–3.16), with GitLab's check order: project (404) →
 * {@code read_build} (403) → job (404 "Not found") → artifact access (403) → availability (404 "Not Found") → path
 * (400) → entry (404 "Not Found").
 */
public final class ArtifactsService implements ArtifactsUseCase {
    private static final int DELETE_BATCH = 100;
    private static final System.Logger LOG = System.getLogger(ArtifactsService.class.getName());

    private final ProjectGate gate;
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final ArtifactRepository artifacts;
    private final ArchiveIndexRepository index;
    private final ArtifactStore store;
    private final Transactor transactor;
    private final Clock clock;
    private final DownloadSettings settings;
    private final ArtifactLocks locks;
    private final ArtifactRemover remover;
    private final ArtifactIntegrityListener integrity;

    /** @param integrity told of every entry that fails its CRC while served (after it is logged here) */
    public ArtifactsService(ProjectGate gate, JobRepository jobs, PipelineRepository pipelines,
                            ArtifactRepository artifacts, ArchiveIndexRepository index, ArtifactStore store,
                            Transactor transactor, Clock clock, DownloadSettings settings,
                            ArtifactIntegrityListener integrity) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.index = Objects.requireNonNull(index, "index");
        this.store = Objects.requireNonNull(store, "store");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.locks = new ArtifactLocks(artifacts, jobs, pipelines);
        this.remover = new ArtifactRemover(artifacts, index, store, transactor);
        ArtifactIntegrityListener told = Objects.requireNonNull(integrity, "integrity");
        this.integrity = (archive, entry) -> {
            LOG.log(System.Logger.Level.WARNING, "artifact " + archive.id().value() + " of job "
                    + archive.jobId().value() + ": entry '" + entry.path() + "' does not match its recorded size or"
                    + " CRC-32; the download was aborted (the stored archive is damaged)");
            told.corruptEntry(archive, entry);
        };
    }

    // ----------------------------------------------------------------------------------------------- downloads

    @Override
    public Download archive(Actor actor, ProjectRef project, JobId jobId) {
        return transactor.reading(() -> prepareArchive(actor, project, jobId));
    }

    private Download prepareArchive(Actor actor, ProjectRef project, JobId jobId) {
        ProjectGate.ProjectJob found = gate.openJob(actor, project, jobId);
        ProjectAccess access = found.access();
        JobArtifacts jobArtifacts = locks.load(found.job());
        requireArtifactAccess(access, jobArtifacts);
        // Expiry is not checked: GitLab serves an expired archive for as long as its file exists.
        return archiveDownload(existingArchive(jobArtifacts));
    }

    @Override
    public Download archiveByRef(Actor actor, ProjectRef project, String ref, String jobName) {
        return transactor.reading(() -> prepareArchiveByRef(actor, project, ref, jobName));
    }

    private Download prepareArchiveByRef(Actor actor, ProjectRef project, String ref, String jobName) {
        ProjectAccess access = gate.openBuilds(actor, project);
        JobArtifacts jobArtifacts = resolveByRef(access, ref, jobName);
        requireArtifactAccess(access, jobArtifacts);
        return archiveDownload(existingArchive(jobArtifacts))
                .from(jobArtifacts.job().id(), jobArtifacts.job().pipelineId());
    }

    @Override
    public Download file(Actor actor, ProjectRef project, JobId job, ArtifactPath path) {
        return file(actor, project, job, path.value());
    }

    /**
     * The single-file download with the path as the client sent it (percent-decoded), so an invalid path is judged
     * at GitLab's point in the check order: NUL or invalid UTF-8 is a 400 after the availability check; any other
     * name no entry can have (absolute, {@code ..}, backslash) is simply not found.
     */
    @Override
    public Download file(Actor actor, ProjectRef project, JobId jobId, String rawPath) {
        return transactor.reading(() -> prepareFile(actor, project, jobId, rawPath));
    }

    @Override
    public List<ArchiveEntry> entries(Actor actor, ProjectRef project, JobId jobId, String afterPath, int limit) {
        return transactor.reading(() -> {
            ProjectGate.ProjectJob found = gate.openJob(actor, project, jobId);
            JobArtifacts jobArtifacts = locks.load(found.job());
            requireArtifactAccess(found.access(), jobArtifacts);
            if (!jobArtifacts.available(clock.instant())) {
                throw NotFoundException.plain("Artifact");
            }
            return index.listEntries(existingArchive(jobArtifacts).id(), afterPath, limit);
        });
    }

    private Download prepareFile(Actor actor, ProjectRef project, JobId jobId, String rawPath) {
        ProjectGate.ProjectJob found = gate.openJob(actor, project, jobId);
        ProjectAccess access = found.access();
        JobArtifacts jobArtifacts = locks.load(found.job());
        requireArtifactAccess(access, jobArtifacts);
        if (!jobArtifacts.available(clock.instant())) {
            throw NotFoundException.plain("Artifact");
        }
        ArtifactPath path = parsePath(rawPath);
        JobArtifact archive = existingArchive(jobArtifacts);
        ArchiveEntry entry = entryOf(archive, path);
        return Downloads.ofEntry(store, archive, entry, path.basename(), integrity);
    }

    @Override
    public Download fileByRef(Actor actor, ProjectRef project, String ref, String jobName, ArtifactPath path) {
        return fileByRef(actor, project, ref, jobName, path.value());
    }

    /**
     * Like {@link #file(Actor, ProjectRef, JobId, String)} for the by-ref route, without the expiry check (GitLab
     * has none there).
     */
    @Override
    public Download fileByRef(Actor actor, ProjectRef project, String ref, String jobName, String rawPath) {
        return transactor.reading(() -> prepareFileByRef(actor, project, ref, jobName, rawPath));
    }

    private Download prepareFileByRef(Actor actor, ProjectRef project, String ref, String jobName, String rawPath) {
        ProjectAccess access = gate.openBuilds(actor, project);
        JobArtifacts jobArtifacts = resolveByRef(access, ref, jobName);
        requireArtifactAccess(access, jobArtifacts);
        JobArtifact archive = existingArchive(jobArtifacts);
        ArtifactPath path = parsePath(rawPath);
        ArchiveEntry entry = entryOf(archive, path);
        return Downloads.ofEntry(store, archive, entry, path.basename(), integrity)
                .from(jobArtifacts.job().id(), jobArtifacts.job().pipelineId());
    }

    private Download archiveDownload(JobArtifact archive) {
        Optional<URI> redirect = settings.redirectDownloads()
                ? store.presignedUrl(archive.storageKey(), settings.redirectValidity(), archive.filename())
                : Optional.empty();
        return Downloads.ofArtifact(store, archive, archive.filename(), redirect);
    }

    /**
     * GitLab's {@code latest_successful_build_for_ref}: the newest successful pipeline of the ref, its latest job
     * named {@code jobName}, which must have an artifact of a downloadable type. Jobyard has no child pipelines, so
     * the search ends in that pipeline.
     */
    private JobArtifacts resolveByRef(ProjectAccess access, String ref, String jobName) {
        Pipeline pipeline = pipelines.latestSuccessfulForRef(access.project().id(), ref)
                .orElseThrow(() -> NotFoundException.record("Job"));
        Job job = jobs.findLatestByName(pipeline.id(), jobName).orElseThrow(() -> NotFoundException.record("Job"));
        JobArtifacts jobArtifacts = locks.load(job);
        if (jobArtifacts.all().stream().noneMatch(a -> a.fileType().downloadable())) {
            throw NotFoundException.record("Job");
        }
        return jobArtifacts;
    }

    private ArchiveEntry entryOf(JobArtifact archive, ArtifactPath path) {
        return index.findEntry(archive.id(), path.value())
                .filter(entry -> !entry.directory())
                .orElseThrow(() -> NotFoundException.plain("File"));
    }

    private static JobArtifact existingArchive(JobArtifacts jobArtifacts) {
        return jobArtifacts.archive().orElseThrow(() -> NotFoundException.plain("Artifact"));
    }

    /** NUL and invalid UTF-8 are GitLab's 400; other impossible names cannot match an entry (refused at upload). */
    private static ArtifactPath parsePath(String raw) {
        if (raw == null || raw.indexOf('\0') >= 0 || raw.indexOf('\uFFFD') >= 0
                || !StandardCharsets.UTF_8.newEncoder().canEncode(raw)) {
            throw new BadRequestException(null);
        }
        try {
            return new ArtifactPath(raw);
        } catch (IllegalArgumentException e) {
            throw NotFoundException.plain("File");
        }
    }

    // --------------------------------------------------------------------------------------------------- trees

    @Override
    public ArtifactTree tree(Actor actor, ProjectRef project, JobId jobId, ArtifactTree.Query query) {
        return transactor.reading(() -> {
            ProjectGate.ProjectJob found = gate.openJob(actor, project, jobId);
            ProjectAccess access = found.access();
            JobArtifacts jobArtifacts = locks.load(found.job());
            requireArtifactAccess(access, jobArtifacts);
            if (!jobArtifacts.available(clock.instant())) {
                throw NotFoundException.plain("Artifact");
            }
            return treeOf(jobArtifacts, query);
        });
    }

    @Override
    public ArtifactTree treeByRef(Actor actor, ProjectRef project, String ref, String jobName,
                                  ArtifactTree.Query query) {
        return transactor.reading(() -> {
            ProjectAccess access = gate.openBuilds(actor, project);
            JobArtifacts jobArtifacts = resolveByRef(access, ref, jobName);
            requireArtifactAccess(access, jobArtifacts);
            return treeOf(jobArtifacts, query);
        });
    }

    /** The page the query asks for, from the archive's entry index; a directory the archive lacks is a 404. */
    private ArtifactTree treeOf(JobArtifacts jobArtifacts, ArtifactTree.Query query) {
        JobArtifact archive = existingArchive(jobArtifacts);
        String directory = directory(query.path());
        ArchiveTree.Page page = ArchiveTree.list(index, archive.id(), directory, query.recursive(),
                TreeGlob.of(query.glob()), query.after(), query.perPage());
        if (page.entries().isEmpty() && query.after() == null
                && !ArchiveTree.exists(index, archive.id(), directory)) {
            throw NotFoundException.resource("Tree");
        }
        Job job = jobArtifacts.job();
        return new ArtifactTree(job.id(), job.pipelineId(), page.entries(), page.next());
    }

    /** {@code ""} for the root, else the path with one trailing slash; a path no entry can have is a 400. */
    private static String directory(String path) {
        String trimmed = path;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return "";
        }
        try {
            return new ArtifactPath(trimmed).value() + "/";
        } catch (IllegalArgumentException impossible) {
            throw new InvalidParameterException("path is invalid");
        }
    }

    // ------------------------------------------------------------------------------------------------- deletes

    @Override
    public void deleteJobArtifacts(Actor actor, ProjectRef project, JobId jobId) {
        ProjectAccess access = gate.open(actor, project);
        if (!access.canDestroyArtifacts()) {
            throw new ForbiddenException();
        }
        Job job = gate.jobOf(access, jobId);
        for (JobArtifact artifact : artifacts.findByJob(job.id())) {
            if (artifact.fileType().erasable()) {
                remover.remove(artifact);
            }
        }
    }

    /**
     * GitLab enqueues a job that sets every unlocked, erasable artifact of the project to expire now; the expiry
     * sweeper then removes them. Jobyard does the expiring at once, in batches, and leaves removal to the sweeper.
     */
    @Override
    public void deleteProjectArtifacts(Actor actor, ProjectRef project) {
        ProjectAccess access = gate.open(actor, project);
        if (!access.canDestroyArtifacts()) {
            throw new ForbiddenException();
        }
        Instant now = clock.instant();
        Map<JobId, Boolean> lockedJobs = new HashMap<>();
        ArtifactId after = null;
        while (true) {
            List<JobArtifact> batch = artifacts.findByProject(access.project().id(), after, DELETE_BATCH);
            if (batch.isEmpty()) {
                return;
            }
            Map<JobId, Job> batchJobs = jobs.findByIds(batch.stream().map(JobArtifact::jobId).distinct().toList());
            transactor.run(() -> {
                for (JobArtifact artifact : batch) {
                    Job job = batchJobs.get(artifact.jobId());
                    boolean locked = artifact.locked() || (job != null && lockedJobs.computeIfAbsent(job.id(),
                            id -> locks.inLatestSuccessfulPipeline(job)));
                    if (artifact.fileType().erasable() && !locked && !artifact.expired(now)) {
                        artifacts.update(expiring(artifact, now));
                    }
                }
            });
            if (batch.size() < DELETE_BATCH) {
                return;
            }
            after = batch.get(batch.size() - 1).id();
        }
    }

    private static JobArtifact expiring(JobArtifact a, Instant when) {
        return new JobArtifact(a.id(), a.jobId(), a.projectId(), a.fileType(), a.fileFormat(), a.filename(),
                a.size(), a.sha256(), when, a.locked(), a.accessibility(), a.storageKey(), a.createdAt());
    }

    // ------------------------------------------------------------------------------------------------- checks

    private static void requireArtifactAccess(ProjectAccess access, JobArtifacts jobArtifacts) {
        if (!access.canReadArtifacts(jobArtifacts.accessibility())) {
            throw new ForbiddenException();
        }
    }
}
