package io.jobyard.application.port.in;

import io.jobyard.domain.access.Actor;
import io.jobyard.domain.artifact.ArtifactPath;
import io.jobyard.domain.job.JobId;

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

    /** Deletes every artifact of a job but its log. */
    void deleteJobArtifacts(Actor actor, ProjectRef project, JobId job);

    /** Expires every unlocked artifact of a project. */
    void deleteProjectArtifacts(Actor actor, ProjectRef project);
}
