package io.jobyard.application.port.in.runner;

import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.JobId;

import java.io.InputStream;
import java.util.Objects;

/**
 * {@code POST /api/v4/jobs/:id/artifacts}: a runner uploads one artifact of a running job (contract §5.4).
 *
 * <p>The job is authenticated here, by its id and the raw CI job token the runner sent, with the runner-endpoint
 * rules of contract §5.2 (403 with GitLab's reasons, not 401): the upload needs the job itself, running, not the
 * user a job token acts as on the API.
 */
public interface UploadArtifactUseCase {

    /**
     * Streams the upload into the artifact store, checks it, and records it.
     *
     * @return the stored artifact, or the existing one when an identical file (same SHA-256) of that type was already
     *         uploaded (GitLab treats that as success)
     * @throws io.jobyard.domain.error.RunnerForbiddenException job unknown, token mismatch, erased, or not running
     * @throws io.jobyard.domain.error.BadRequestException      invalid type/format pair, another artifact of the type,
     *                                                         invalid {@code expire_in}, an invalid or unsafe archive
     * @throws io.jobyard.domain.error.PayloadTooLargeException a configured limit is exceeded
     */
    JobArtifact upload(UploadArtifactCommand command);

    /**
     * GitLab's {@code POST /jobs/:id/artifacts/authorize}, which Workhorse asks with the request's headers and query
     * before it reads a byte of an upload's body: the job token, the job's state and the announced size, in that
     * order. A refusal here means the body is never read, let alone stored.
     *
     * @param declaredSize the size the client announced for the file, or {@link UploadArtifactCommand#UNKNOWN_SIZE}
     * @throws io.jobyard.domain.error.RunnerForbiddenException job unknown, token mismatch, erased, or not running
     * @throws io.jobyard.domain.error.PayloadTooLargeException the announced size is over the artifact size limit
     */
    void authorize(JobId job, String jobToken, long declaredSize);

    /**
     * @param type          {@code artifact_type}; null means archive
     * @param format        {@code artifact_format}; null means zip
     * @param expireIn      {@code expire_in} as sent ("1 week", "never"); null means the instance default
     * @param accessibility {@code accessibility}; null means public
     * @param filename      the uploaded file's name; null means the type's usual name ({@code artifacts.zip}...)
     * @param declaredSize  the size the client announced, or {@link #UNKNOWN_SIZE}; lets a too-large upload be refused
     *                      before a byte is read
     */
    record UploadArtifactCommand(JobId job, String jobToken, ArtifactFileType type, ArtifactFormat format,
                                 String expireIn, ArtifactAccessibility accessibility, String filename,
                                 InputStream content, long declaredSize) {
        public static final long UNKNOWN_SIZE = -1;

        public UploadArtifactCommand {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(jobToken, "jobToken");
            Objects.requireNonNull(content, "content");
            if (declaredSize < UNKNOWN_SIZE) {
                throw new IllegalArgumentException("declared size must not be negative");
            }
        }

        /** An archive upload with every optional parameter at its default. */
        public static UploadArtifactCommand archive(JobId job, String jobToken, InputStream content) {
            return new UploadArtifactCommand(job, jobToken, null, null, null, null, null, content, UNKNOWN_SIZE);
        }

        @Override
        public String toString() {
            return "UploadArtifactCommand[job=" + job + ", type=" + type + ", format=" + format + "]";
        }
    }
}
