package io.jobyard.application.port.in.auth;

/**
 * Where a request begins and ends, for the checks of who may do what: authentication and opening a project each
 * read the access version before they trust what is kept in memory, and within one request the second of those
 * reads can take the first one's answer — the request is then checked as of one moment, its beginning, as a request
 * that read the version once would be. The HTTP layer brackets each request it serves whole (not one that streams its
 * body, whose authentication is repeated when the body has arrived).
 */
public interface AccessChecks {

    /** Every check reads the version: for hosts that bracket nothing. */
    AccessChecks EVERY_TIME = () -> () -> {
    };

    /**
     * Begins a request on the calling thread; closing the result ends it. A request begun inside another leaves the
     * outer one as it was when it ends.
     */
    Request beginRequest();

    /** One request's bracket. */
    interface Request extends AutoCloseable {
        @Override
        void close();
    }
}
