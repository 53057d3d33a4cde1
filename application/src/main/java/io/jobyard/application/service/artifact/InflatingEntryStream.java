package io.jobyard.application.service.artifact;

import io.jobyard.application.stream.SingleByte;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
    private final EntryCheck check;
    private boolean paddingFed;
    private boolean done;
    private boolean closed;

    /** @param onMismatch told once when the inflated bytes do not match the declared size or CRC */
    InflatingEntryStream(InputStream compressed, long expectedSize, long expectedCrc, Runnable onMismatch) {
        this.compressed = compressed;
        this.check = new EntryCheck(expectedSize, expectedCrc, onMismatch);
    }

    @Override
    public int read() throws IOException {
        return SingleByte.read(this);
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
            long remaining = check.remaining();
            int n;
            try {
                if (remaining > 0) {
                    n = inflater.inflate(buffer, offset, (int) Math.min(length, remaining));
                } else {
                    // Everything promised was delivered; the deflate stream must end here, not produce more.
                    n = inflater.inflate(new byte[1], 0, 1);
                    if (n > 0) {
                        throw check.damaged(new ZipException("zip entry inflates beyond its declared size of "
                                + check.expectedSize()));
                    }
                }
            } catch (DataFormatException e) {
                throw check.damaged(new ZipException("corrupt deflate data: " + e.getMessage()));
            }
            if (n > 0) {
                passed(buffer, offset, n);
                return n;
            }
            if (inflater.finished()) {
                done = true;
                check.ended();
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
                    throw check.damaged(new EOFException("zip entry data ends before the deflate stream does"));
                }
            }
        }
    }

    /** The inflated bytes go by the check; once it fails, the stream has ended. */
    private void passed(byte[] buffer, int offset, int n) throws ZipException {
        try {
            check.passed(buffer, offset, n);
        } catch (ZipException damaged) {
            done = true;
            throw damaged;
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
