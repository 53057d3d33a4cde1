package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.reply.Reply;

import java.io.IOException;

/**
 * One operation behind a route: reads its parameters, calls its use case and says what to answer. It never touches
 * the exchange; refusals are thrown and mapped in one place ({@link io.jobyard.adapter.http.reply.ErrorMapper}).
 */
@FunctionalInterface
public interface Endpoint {
    Reply handle(ApiRequest request) throws IOException;

    /** The largest request body this operation reads (413 above): the settings' default unless it takes more. */
    default long maxBodyBytes(HttpSettings settings) {
        return settings.maxBodyBytes();
    }

    /**
     * Whether the operation reads its body itself, as a stream (a log append, an artifact upload): such a body is not
     * read before the endpoint runs, so it can refuse the request from its headers first; its
     * {@link ApiRequest#params()} are the query's alone and {@link ApiRequest#incoming()} gives the body.
     */
    default boolean streamsBody() {
        return false;
    }
}
