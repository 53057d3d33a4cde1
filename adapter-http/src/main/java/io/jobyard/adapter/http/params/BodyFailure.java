package io.jobyard.adapter.http.params;

import io.jobyard.adapter.http.reply.ApiError;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

import java.util.Optional;

/**
 * Why a request body could not be read, recorded on the exchange by whatever read it (the small-body receiver on the
 * IO thread, or the watched stream of a streamed body) so the request is answered for what happened on the wire
 * rather than for the exception that surfaced in an endpoint, a parser or a store.
 */
public enum BodyFailure {
    /** The body is larger than this route reads: 413 at once, from the declared length when there is one. */
    TOO_LARGE(413),
    /** The client stopped sending: 408 (NGINX's answer to {@code client_body_timeout}) and the connection closed. */
    TIMED_OUT(408),
    /**
     * The client closed or reset the connection before the body was complete: nobody is left to answer, so the
     * request is recorded as 499 (NGINX's "client closed request") and never as a server error.
     */
    CLIENT_GONE(499),
    /**
     * The bodies being received hold the whole {@link BodyBuffers} budget: 503 and the connection closed, as a
     * server out of room answers; the client may send again.
     */
    BUSY(503);

    private static final AttachmentKey<BodyFailure> KEY = AttachmentKey.create(BodyFailure.class);

    private final int status;

    BodyFailure(int status) {
        this.status = status;
    }

    /** The status the request is answered or recorded with. */
    public int status() {
        return status;
    }

    /** Records this failure; the first one recorded stands (a timeout's closed connection is not a disconnect). */
    public void mark(HttpServerExchange exchange) {
        if (exchange.getAttachment(KEY) == null) {
            exchange.putAttachment(KEY, this);
        }
    }

    public static Optional<BodyFailure> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }

    /** The refusal the client gets for it (a gone client gets none; the status is only recorded). */
    public ApiError refusal() {
        return switch (this) {
            case TOO_LARGE -> ApiError.message(413, "413 Request Entity Too Large");
            case TIMED_OUT -> ApiError.message(408, "408 Request Timeout");
            case CLIENT_GONE -> ApiError.message(499, "499 Client Closed Request");
            case BUSY -> ApiError.message(503, "503 Service Unavailable").withHeader("Retry-After", "1");
        };
    }
}
