package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.reply.Reply;

/**
 * One API operation: reads its parameters, calls its use case and says what to answer. It never touches the
 * exchange; refusals are thrown and mapped in one place.
 */
@FunctionalInterface
public interface Endpoint {
    Reply handle(ApiRequest request);

    /** The largest request body this operation reads (413 above): the settings' default unless it takes more. */
    default long maxBodyBytes(HttpSettings settings) {
        return settings.maxBodyBytes();
    }
}
