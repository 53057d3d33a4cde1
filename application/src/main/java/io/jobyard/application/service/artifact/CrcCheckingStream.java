package io.jobyard.application.service.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * Passes a stored zip entry through whole and checks its CRC before the last byte goes by: the read that would complete
 * the entry fails instead of returning it, so a download of a damaged entry is cut short (the client sees fewer bytes
 * than {@code Content-Length} promised) rather than delivered whole with wrong bytes. Checking at the end of the stream
 * would be too late: a copy that stops at {@code Content-Length} never asks for it. Ranged reads of part of an entry
 * skip this.
 */
final class CrcCheckingStream extends FilterInputStream {
    private final long expectedSize;
    private final long expectedCrc;
    private final Runnable onMismatch;
    private final CRC32 crc = new CRC32();
    private long seen;
    private boolean verified;

    /** @param onMismatch told once, before the failing read throws */
    CrcCheckingStream(InputStream in, long expectedSize, long expectedCrc, Runnable onMismatch) {
        super(in);
        this.expectedSize = expectedSize;
        this.expectedCrc = expectedCrc;
        this.onMismatch = onMismatch;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            crc.update(buffer, offset, n);
            seen += n;
            if (seen >= expectedSize) {
                verify();
            }
        } else if (n < 0) {
            verify();
        }
        return n;
    }

    private void verify() throws ZipException {
        if (verified) {
            return;
        }
        verified = true;
        if (seen != expectedSize || crc.getValue() != expectedCrc) {
            onMismatch.run();
            throw new ZipException("zip entry CRC mismatch");
        }
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
