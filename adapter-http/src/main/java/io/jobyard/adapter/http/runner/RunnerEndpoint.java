package io.jobyard.adapter.http.runner;

/** One route of the runner API: reads what it needs from the call and writes its own reply. */
@FunctionalInterface
interface RunnerEndpoint {

    /** Throws refusals (domain exceptions, {@code ApiError}); the handler maps them before anything is written. */
    void serve(RunnerCall call) throws Exception;

    /**
     * Whether the endpoint reads its body itself, as a stream (a log append, an artifact upload): such a body is not
     * read before the endpoint runs, so the endpoint can refuse the request from its headers first.
     */
    default boolean streamsBody() {
        return false;
    }
}
