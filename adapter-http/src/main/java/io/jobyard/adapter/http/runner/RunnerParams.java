package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.params.Params;

/** Parameter and header conventions shared by the runner endpoints. */
final class RunnerParams {
    /** The job's status, read by the runner to stop working on a job that no longer runs. */
    static final String JOB_STATUS = "Job-Status";
    static final String UPDATE_INTERVAL = "X-GitLab-Trace-Update-Interval";
    /** GitLab's interval while nobody watches the log (it lowers it to 3 while someone does; Jobyard cannot tell). */
    static final String UPDATE_INTERVAL_SECONDS = "60";

    private RunnerParams() {
    }

    /** A required {@code token} parameter: Grape's {@code {"error":"token is missing"}} when absent or blank. */
    static String requiredToken(Params params) {
        return params.text("token").filter(t -> !t.isBlank()).orElseThrow(() -> Params.missing("token"));
    }

    /** A CI job token from the {@code JOB-TOKEN} header, else from {@code fallback}; blank counts as absent. */
    static String jobToken(RunnerCall call, String fallback) {
        String header = call.header("JOB-TOKEN");
        String token = header != null && !header.isBlank() ? header : fallback;
        return token == null || token.isBlank() ? null : token.trim();
    }
}
