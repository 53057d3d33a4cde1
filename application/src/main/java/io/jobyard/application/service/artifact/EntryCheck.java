package io.jobyard.application.service.artifact;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * What the bytes of a zip entry must add up to: the size and CRC the archive index declares. The streams that serve an
 * entry whole pass every byte through here, and the check fails the read that reaches the declared size (or the end)
 * when the bytes do not match, so a damaged entry cuts the download short rather than completing it with wrong bytes.
 * The damage is told once, however often a read fails.
 */
final class EntryCheck {
    private final long expectedSize;
    private final long expectedCrc;
    private final Runnable onMismatch;
    private final CRC32 crc = new CRC32();
    private long seen;
    private boolean crcChecked;
    private boolean told;

    /** @param onMismatch told once, before the first failing read throws */
    EntryCheck(long expectedSize, long expectedCrc, Runnable onMismatch) {
        this.expectedSize = expectedSize;
        this.expectedCrc = expectedCrc;
        this.onMismatch = onMismatch;
    }

    long expectedSize() {
        return expectedSize;
    }

    /** How many of the declared bytes have not gone by yet. */
    long remaining() {
        return expectedSize - seen;
    }

    /** {@code n} more bytes of the entry went by; reaching the declared size ends it. */
    void passed(byte[] buffer, int offset, int n) throws ZipException {
        crc.update(buffer, offset, n);
        seen += n;
        if (seen >= expectedSize) {
            ended();
        }
    }

    /** The entry's bytes end here: they must be as many as declared, with the declared CRC. */
    void ended() throws ZipException {
        if (seen != expectedSize) {
            throw damaged(new ZipException("zip entry has " + seen + " bytes, " + expectedSize + " declared"));
        }
        if (!crcChecked) {
            crcChecked = true;
            if (crc.getValue() != expectedCrc) {
                throw damaged(new ZipException("zip entry CRC mismatch"));
            }
        }
    }

    /** Tells of the damage once, then hands back the failure to throw. */
    <E extends IOException> E damaged(E failure) {
        if (!told) {
            told = true;
            onMismatch.run();
        }
        return failure;
    }
}
