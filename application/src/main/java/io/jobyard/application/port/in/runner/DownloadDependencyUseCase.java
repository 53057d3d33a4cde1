package io.jobyard.application.port.in.runner;

import io.jobyard.application.port.in.Download;
import io.jobyard.domain.job.JobId;

/**
 * {@code GET /api/v4/jobs/:id/artifacts} (contract §5.5): a running job downloads the archive of a job it depends on,
 * authenticated by its own CI token. Expiry is not checked, as in GitLab.
 */
public interface DownloadDependencyUseCase {

    /**
     * @param dependency the job whose archive is wanted ({@code :id})
     * @param jobToken   the CI token of the downloading job
     * @throws io.jobyard.domain.error.UnauthorizedException the token belongs to no running job
     * @throws io.jobyard.domain.error.ForbiddenException    no such dependency, or the downloading job's user may not
     *                                                       read its jobs
     * @throws io.jobyard.domain.error.NotFoundException     "404 Not Found" when the dependency has no archive
     */
    Download download(JobId dependency, String jobToken);
}
