package io.jobyard.application.service.artifact;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Inflates one deflated zip entry from the ranged stream of its compressed bytes. The declared size is a hard limit
 * (never more bytes than the index promised, so a lying entry cannot expand without bound), and the CRC is checked
 * before the last byte is returned: the read that would complete the entry fails instead, so a corrupt entry cuts the
 * download short rather than delivering it whole with wrong bytes (a copy that stops at the declared size never reads
 * to the end of the stream, where a later check would sit).
 */
final class InflatingEntryStream extends InputStream {
    private final InputStream compressed;
    private final Inflater inflater = new Inflater(true);
    private final byte[] input = new byte[16 * 1024];
    private final long expectedSize;
    private final long expectedCrc;
    private final Runnable onMismatch;
    private final CRC32 crc = new CRC32();
    private boolean crcChecked;
    private boolean told;
    private long produced;
    private boolean paddingFed;
    private boolean done;
    private boolean closed;

    /** @param onMismatch told once when the inflated bytes do not match the declared size or CRC */
    InflatingEntryStream(InputStream compressed, long expectedSize, long expectedCrc, Runnable onMismatch) {
        this.compressed = compressed;
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
        if (closed) {
            throw new IOException("stream closed");
        }
        if (length == 0) {
            return 0;
        }
        if (done) {
            return -1;
        }
        while (true) {
            long remaining = expectedSize - produced;
            int n;
            try {
                if (remaining > 0) {
                    n = inflater.inflate(buffer, offset, (int) Math.min(length, remaining));
                } else {
                    // Everything promised was delivered; the deflate stream must end here, not produce more.
                    n = inflater.inflate(new byte[1], 0, 1);
                    if (n > 0) {
                        throw damaged(new ZipException("zip entry inflates beyond its declared size of " + expectedSize));
                    }
                }
            } catch (DataFormatException e) {
                throw damaged(new ZipException("corrupt deflate data: " + e.getMessage()));
            }
            if (n > 0) {
                crc.update(buffer, offset, n);
                produced += n;
                if (produced == expectedSize) {
                    checkCrc();
                }
                return n;
            }
            if (inflater.finished()) {
                verify();
                return -1;
            }
            if (inflater.needsDictionary()) {
                throw new ZipException("zip entry needs a preset dictionary");
            }
            if (inflater.needsInput()) {
                int read = compressed.read(input);
                if (read > 0) {
                    inflater.setInput(input, 0, read);
                } else if (read < 0 && !paddingFed) {
                    // With nowrap, zlib may want one byte past the data to notice the end of the stream.
                    paddingFed = true;
                    inflater.setInput(new byte[1], 0, 1);
                } else if (read < 0) {
                    throw damaged(new EOFException("zip entry data ends before the deflate stream does"));
                }
            }
        }
    }

    private void verify() throws ZipException {
        done = true;
        if (produced != expectedSize) {
            throw damaged(new ZipException("zip entry inflated to " + produced + " bytes, " + expectedSize
                    + " declared"));
        }
        checkCrc();
    }

    /** Tells of the damage once, then hands back the failure to throw. */
    private <E extends IOException> E damaged(E failure) {
        if (!told) {
            told = true;
            onMismatch.run();
        }
        return failure;
    }

    private void checkCrc() throws ZipException {
        if (crcChecked) {
            return;
        }
        crcChecked = true;
        if (crc.getValue() != expectedCrc) {
            done = true;
            throw damaged(new ZipException("zip entry CRC mismatch"));
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            inflater.end();
            compressed.close();
        }
    }
}
