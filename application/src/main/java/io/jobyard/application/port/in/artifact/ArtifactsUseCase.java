package io.jobyard.application.port.in.artifact;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactPath;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.job.JobId;

import java.util.List;

/** Downloading and deleting job artifacts through the API. */
public interface ArtifactsUseCase {

    /** The whole archive of a job (expiry not checked, as GitLab does). */
    Download archive(Actor actor, ProjectRef project, JobId job);

    /** The archive of the latest successful pipeline's job named {@code jobName} on {@code ref}. */
    Download archiveByRef(Actor actor, ProjectRef project, String ref, String jobName);

    /** One file inside a job's archive (404 once expired unless locked). */
    Download file(Actor actor, ProjectRef project, JobId job, ArtifactPath path);

    /** One file inside the archive resolved by ref and job name; content type sniffed by the HTTP layer. */
    Download fileByRef(Actor actor, ProjectRef project, String ref, String jobName, ArtifactPath path);

    /**
     * {@link #file(Actor, ProjectRef, JobId, ArtifactPath)} with the path as the client sent it (percent-decoded,
     * U+FFFD where the bytes were not UTF-8), so an implementation can judge an impossible path at GitLab's point in
     * the check order (after project, job and availability). This default judges it first: a path that cannot exist
     * is "400 Bad request".
     */
    default Download file(Actor actor, ProjectRef project, JobId job, String rawPath) {
        return file(actor, project, job, pathOrBadRequest(rawPath));
    }

    /** {@link #fileByRef(Actor, ProjectRef, String, String, ArtifactPath)} with the path as sent; see above. */
    default Download fileByRef(Actor actor, ProjectRef project, String ref, String jobName, String rawPath) {
        return fileByRef(actor, project, ref, jobName, pathOrBadRequest(rawPath));
    }

    private static ArtifactPath pathOrBadRequest(String rawPath) {
        try {
            return new ArtifactPath(rawPath);
        } catch (IllegalArgumentException | NullPointerException impossible) {
            throw new BadRequestException(null);
        }
    }

    /**
     * A page of the entries of a job's archive, with the single-file download's checks (project, {@code read_build},
     * job, artifact access, expiry) and without reading the archive.
     *
     * @throws io.jobyard.domain.error.NotFoundException the job has no archive ("404 Artifact Not Found") or the
     *                                                   directory is not in it ("404 Tree Not Found")
     */
    ArtifactTree tree(Actor actor, ProjectRef project, JobId job, ArtifactTree.Query query);

    /** {@link #tree} of the archive {@link #archiveByRef} would download; the tree names the job it picked. */
    ArtifactTree treeByRef(Actor actor, ProjectRef project, String ref, String jobName, ArtifactTree.Query query);

    /**
     * The entries of a job's archive in path order, after {@code afterPath} (from the first when null), at most
     * {@code limit}: GitLab's artifacts browser reads the archive's metadata the same way. The checks are a single-file
     * download's (project, job, access to its artifacts, not expired unless kept).
     */
    List<ArchiveEntry> entries(Actor actor, ProjectRef project, JobId job, String afterPath, int limit);

    /** Deletes every artifact of a job but its log. */
    void deleteJobArtifacts(Actor actor, ProjectRef project, JobId job);

    /** Expires every unlocked artifact of a project. */
    void deleteProjectArtifacts(Actor actor, ProjectRef project);
}
