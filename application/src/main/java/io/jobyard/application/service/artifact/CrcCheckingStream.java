package io.jobyard.application.service.artifact;

import io.jobyard.application.stream.SingleByte;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a stored zip entry through whole and checks its CRC before the last byte goes by: the read that would complete
 * the entry fails instead of returning it, so a download of a damaged entry is cut short (the client sees fewer bytes
 * than {@code Content-Length} promised) rather than delivered whole with wrong bytes. Checking at the end of the stream
 * would be too late: a copy that stops at {@code Content-Length} never asks for it. Ranged reads of part of an entry
 * skip this.
 */
final class CrcCheckingStream extends FilterInputStream {
    private final EntryCheck check;

    /** @param onMismatch told once, before the failing read throws */
    CrcCheckingStream(InputStream in, long expectedSize, long expectedCrc, Runnable onMismatch) {
        super(in);
        this.check = new EntryCheck(expectedSize, expectedCrc, onMismatch);
    }

    @Override
    public int read() throws IOException {
        return SingleByte.read(this);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            check.passed(buffer, offset, n);
        } else if (n < 0) {
            check.ended();
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a checked stream is read whole");
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
