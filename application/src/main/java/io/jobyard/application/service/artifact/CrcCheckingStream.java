package io.jobyard.application.service.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * Passes a stored zip entry through whole and checks its CRC when the last byte has gone by, so a download of a
 * damaged entry ends in an error rather than in silently wrong bytes. Ranged reads of part of an entry skip this.
 */
final class CrcCheckingStream extends FilterInputStream {
    private final long expectedSize;
    private final long expectedCrc;
    private final CRC32 crc = new CRC32();
    private long seen;
    private boolean verified;

    CrcCheckingStream(InputStream in, long expectedSize, long expectedCrc) {
        super(in);
        this.expectedSize = expectedSize;
        this.expectedCrc = expectedCrc;
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
        } else if (n < 0 && !verified) {
            verified = true;
            if (seen != expectedSize || crc.getValue() != expectedCrc) {
                throw new ZipException("zip entry CRC mismatch");
            }
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
