package io.jobyard.application.service.live;

import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Where the live log hub learns what became of the jobs it follows: re-read from the store when a notification or the
 * periodic poll says to look. Kept behind this small interface so a durable job event log can replace the re-reading.
 */
@FunctionalInterface
public interface LiveJobStates {

    /** The current state of each of {@code jobs}; a job that no longer exists maps to {@link LiveJobState#GONE}. */
    Map<JobId, LiveJobState> current(Collection<JobId> jobs);

    /**
     * @param status   the job's status
     * @param logFinal the job has finished and its log will not change any more: archived, erased, never written, or
     *                 left live past the archiving wait
     */
    record LiveJobState(JobStatus status, boolean logFinal) {
        /** A job deleted with its project: nothing more will come. */
        public static final LiveJobState GONE = new LiveJobState(JobStatus.CANCELED, true);

        public LiveJobState {
            Objects.requireNonNull(status, "status");
        }
    }
}
