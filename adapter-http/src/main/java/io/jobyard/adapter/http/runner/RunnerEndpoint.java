package io.jobyard.adapter.http.runner;

/** One route of the runner API: reads what it needs from the call and writes its own reply. */
@FunctionalInterface
interface RunnerEndpoint {

    /** Throws refusals (domain exceptions, {@code ApiError}); the handler maps them before anything is written. */
    void serve(RunnerCall call) throws Exception;
}
