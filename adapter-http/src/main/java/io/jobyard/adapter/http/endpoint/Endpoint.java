package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;

/**
 * One API operation: reads its parameters, calls its use case and says what to answer. It never touches the
 * exchange; refusals are thrown and mapped in one place.
 */
@FunctionalInterface
public interface Endpoint {
    Reply handle(ApiRequest request);
}
