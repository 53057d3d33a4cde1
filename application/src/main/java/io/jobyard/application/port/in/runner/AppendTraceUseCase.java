package io.jobyard.application.port.in.runner;

import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;

import java.io.InputStream;
import java.util.Objects;
import java.util.Set;

/**
 * {@code PATCH /api/v4/jobs/:id/trace}: a runner appends to the live log of its running job (contract §5.3).
 *
 * <p>The job is authenticated by its id and raw CI job token with the runner-endpoint rules (403 with GitLab's
 * reasons and {@code Job-Status}). Secrets are masked before anything is stored: the job token always, plus
 * {@code additionalSecrets}.
 */
public interface AppendTraceUseCase {

    /**
     * @return the new length of the log and the job's status (the runner reads {@code Range} and {@code Job-Status})
     * @throws io.jobyard.domain.error.TraceOffsetMismatchException with the current length when {@code offset} is not
     *         the current length; nothing is written
     * @throws io.jobyard.domain.error.RunnerForbiddenException job unknown, token mismatch, erased, not running
     * @throws io.jobyard.domain.error.TraceTooLargeException the log would exceed the configured maximum: the job has
     *         been dropped with {@code trace_size_exceeded}
     */
    TraceAppended append(AppendTraceCommand command);

    /**
     * @param offset            the start of {@code Content-Range}
     * @param declaredLength    the body's length when known (Content-Length), else {@link #UNKNOWN_LENGTH}: lets an
     *                          oversized append be refused before it is read, in GitLab's order
     * @param additionalSecrets further strings to mask (Jobyard keeps runner tokens only as digests, so a host that
     *                          knows more secrets passes them here)
     */
    record AppendTraceCommand(JobId job, String jobToken, long offset, InputStream body, long declaredLength,
                              Set<String> additionalSecrets) {
        public static final long UNKNOWN_LENGTH = -1;

        public AppendTraceCommand {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(jobToken, "jobToken");
            Objects.requireNonNull(body, "body");
            additionalSecrets = additionalSecrets == null ? Set.of() : Set.copyOf(additionalSecrets);
            if (declaredLength < UNKNOWN_LENGTH) {
                throw new IllegalArgumentException("declared length must not be negative");
            }
        }

        public AppendTraceCommand(JobId job, String jobToken, long offset, InputStream body) {
            this(job, jobToken, offset, body, UNKNOWN_LENGTH, Set.of());
        }

        @Override
        public String toString() {
            return "AppendTraceCommand[job=" + job + ", offset=" + offset + "]";
        }
    }

    /** @param length the log's new length ({@code Range: 0-<length>}) */
    record TraceAppended(long length, JobStatus jobStatus) {
    }
}
