package io.jobyard.adapter.storage.s3;

import software.amazon.awssdk.core.ResponseInputStream;

import java.io.FilterInputStream;
import java.io.IOException;

/**
 * The body of a GET, yielding {@code length} bytes, that aborts the connection when closed with bytes still unread.
 * Closing a partly read body normally makes the HTTP client drain the rest to reuse the connection, which for a
 * client that stopped after a few bytes of a 1 GiB archive means downloading the whole archive for nothing.
 */
final class ObjectBodyStream extends FilterInputStream {
    private final ResponseInputStream<?> body;
    private final boolean bodyGoesOnAfterLength;
    private long remaining;

    /**
     * @param bodyGoesOnAfterLength whether the HTTP body holds more than {@code length} bytes (a store that ignored
     *                              the Range header), so that closing must always abort
     */
    ObjectBodyStream(ResponseInputStream<?> body, long length, boolean bodyGoesOnAfterLength) {
        super(body);
        this.body = body;
        this.remaining = length;
        this.bodyGoesOnAfterLength = bodyGoesOnAfterLength;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = super.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = super.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (remaining > 0 || bodyGoesOnAfterLength) {
            body.abort();
        }
        super.close();
    }
}
