package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.Project;

import java.util.Objects;
import java.util.Optional;

/**
 * GitLab's {@code authenticate_job_via_dependent_job!} and archive download: the caller is the running job that owns
 * the token (401 otherwise, from the API guard), the wanted job must exist and be readable by that job's user (403),
 * and it must have an archive (404). Expired archives still download, as in GitLab; the bytes stream from the store.
 */
public final class DownloadDependencyService implements DownloadDependencyUseCase {
    private final AuthenticateUseCase authenticate;
    private final JobRepository jobs;
    private final ProjectRepository projects;
    private final ArtifactRepository artifacts;
    private final ArtifactStore store;

    public DownloadDependencyService(AuthenticateUseCase authenticate, JobRepository jobs, ProjectRepository projects,
                                     ArtifactRepository artifacts, ArtifactStore store) {
        this.authenticate = Objects.requireNonNull(authenticate, "authenticate");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Download download(JobId dependency, String jobToken) {
        if (!(authenticate.byJobToken(jobToken) instanceof Actor.JobTokenActor downloader)) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        Job target = jobs.findById(dependency).orElseThrow(ForbiddenException::new);
        Project project = projects.findById(target.projectId()).orElseThrow(ForbiddenException::new);
        // Job-token scope: Jobyard keeps no allowlists, so a job token reaches its own project only.
        if (!project.id().equals(downloader.job().projectId())) {
            throw new ForbiddenException();
        }
        Role role = projects.roleOf(project.id(), downloader.identity().id()).orElse(null);
        if (!new ProjectAccess(project, downloader, role).canReadBuilds()) {
            throw new ForbiddenException();
        }
        JobArtifact archive = artifacts.findByJobAndType(target.id(), ArtifactFileType.ARCHIVE)
                .orElseThrow(() -> NotFoundException.plain("Artifact"));
        return archiveDownload(archive);
    }

    private Download archiveDownload(JobArtifact archive) {
        String key = archive.storageKey();
        long size = archive.size();
        return new Download(archive.filename(), size, archive.sha256(), archive.sha256(),
                Optional.empty(), true, range -> {
                    range.satisfiableLengthWithin(size);
                    BlobContent content = store.read(key, range);
                    return new BlobContent(content.stream(), size, content.offset(), content.length());
                });
    }
}
