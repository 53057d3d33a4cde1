package io.jobyard.application.port.in.runner;

import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /api/v4/jobs/request} (contract §5.1): a runner asks for work and gets the oldest pending job it may run,
 * or nothing. Each job is handed to exactly one runner, also when several Jobyard instances share one database.
 */
public interface RequestJobUseCase {

    /**
     * @throws io.jobyard.domain.error.ForbiddenException "403 Forbidden" for an unknown runner token
     */
    JobRequestResult request(JobRequest request);

    /**
     * Whether the runner's queue still has the value {@code lastUpdate} it got with its previous 204: nothing new for
     * it, so a long-polling front may hold the request instead of answering 204 at once. Reads only.
     *
     * @throws io.jobyard.domain.error.ForbiddenException "403 Forbidden" for an unknown runner token
     */
    boolean queueUnchanged(String token, String lastUpdate);

    /**
     * @param token      the runner's authentication token
     * @param systemId   the runner host's {@code system_id}, or null
     * @param lastUpdate the {@code last_update} value of the runner's previous 204, or null; every request still
     *                   looks for a job, so the value never hides one
     * @param info       what the runner says about itself, or null
     */
    record JobRequest(String token, String systemId, String lastUpdate, RunnerInfo info) {
        public JobRequest {
            info = info == null ? RunnerInfo.UNKNOWN : info;
        }

        @Override
        public String toString() {
            return "JobRequest[systemId=" + systemId + ", lastUpdate=" + lastUpdate + "]";
        }
    }

    /**
     * The request's {@code info} object. {@code features} holds the boolean feature flags the runner announces;
     * {@code cancel_gracefully} decides whether canceling its running jobs waits for their after_script.
     */
    record RunnerInfo(String name, String version, String revision, String platform, String architecture,
                      String executor, Map<String, Boolean> features) {
        public static final RunnerInfo UNKNOWN = new RunnerInfo(null, null, null, null, null, null, Map.of());
        public static final String CANCEL_GRACEFULLY = "cancel_gracefully";

        public RunnerInfo {
            features = features == null ? Map.of() : Map.copyOf(features);
        }

        public boolean supports(String feature) {
            return Boolean.TRUE.equals(features.get(feature));
        }
    }

    /** What the request gets: a job (201 with the payload) or none (204). */
    sealed interface JobRequestResult {
    }

    /**
     * No job for this runner: 204 with {@code X-GitLab-Last-Update: <lastUpdate>}. The value stays the same while the
     * head of the pending queue and the runner's settings stay the same, on every instance; the runner sends it back as
     * {@code last_update}, so an HTTP layer that long-polls may hold a request while a fresh answer still carries the
     * runner's own value.
     */
    record NoJob(String lastUpdate) implements JobRequestResult {
        public NoJob {
            Objects.requireNonNull(lastUpdate, "lastUpdate");
        }
    }

    /** A job moved from pending to running for this runner: 201 with {@code payload} as JSON. */
    record Assigned(JobRequestPayload payload) implements JobRequestResult {
        public Assigned {
            Objects.requireNonNull(payload, "payload");
        }
    }
}
