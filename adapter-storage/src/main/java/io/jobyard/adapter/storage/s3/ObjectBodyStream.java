package io.jobyard.adapter.storage.s3;

import io.jobyard.application.stream.BoundedInputStream;
import software.amazon.awssdk.core.ResponseInputStream;

import java.io.IOException;

/**
 * The body of a GET, yielding {@code length} bytes, that aborts the connection when closed with bytes still unread.
 * Closing a partly read body normally makes the HTTP client drain the rest to reuse the connection, which for a
 * client that stopped after a few bytes of a 1 GiB archive means downloading the whole archive for nothing.
 */
final class ObjectBodyStream extends BoundedInputStream {
    private final ResponseInputStream<?> body;
    private final boolean bodyGoesOnAfterLength;

    /**
     * @param bodyGoesOnAfterLength whether the HTTP body holds more than {@code length} bytes (a store that ignored
     *                              the Range header), so that closing must always abort
     */
    ObjectBodyStream(ResponseInputStream<?> body, long length, boolean bodyGoesOnAfterLength) {
        super(body, length);
        this.body = body;
        this.bodyGoesOnAfterLength = bodyGoesOnAfterLength;
    }

    @Override
    public void close() throws IOException {
        if (remaining() > 0 || bodyGoesOnAfterLength) {
            body.abort();
        }
        super.close();
    }
}
