package io.jobyard.application.service.artifact;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A stored entry's bytes are checked before the last of them is handed out, not after. */
class CrcCheckingStreamTest {
    private final byte[] content = Zips.text(300_000);
    private final AtomicInteger told = new AtomicInteger();

    private InputStream checked(byte[] bytes, long crc) {
        return new CrcCheckingStream(new ByteArrayInputStream(bytes), content.length, crc, told::incrementAndGet);
    }

    /** Copies exactly {@code length} bytes, as the HTTP layer does after sending Content-Length. */
    private static long copyDeclaredLength(InputStream in, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long delivered = 0;
        while (delivered < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - delivered));
            if (n < 0) {
                break;
            }
            delivered += n;
        }
        return delivered;
    }

    @Test
    void anIntactEntryPassesWhole() throws IOException {
        try (InputStream in = checked(content, Zips.crc(content))) {
            assertThat(copyDeclaredLength(in, content.length)).isEqualTo(content.length);
        }
        assertThat(told).hasValue(0);
    }

    @Test
    void aDamagedEntryFailsOnTheReadThatWouldCompleteIt() {
        byte[] damaged = content.clone();
        damaged[damaged.length / 2] ^= 1;
        long[] delivered = new long[1];
        assertThatThrownBy(() -> {
            try (InputStream in = checked(damaged, Zips.crc(content))) {
                byte[] buffer = new byte[64 * 1024];
                while (delivered[0] < content.length) {
                    delivered[0] += in.read(buffer, 0, (int) Math.min(buffer.length, content.length - delivered[0]));
                }
            }
        }).isInstanceOf(ZipException.class).hasMessageContaining("CRC");
        assertThat(delivered[0]).as("bytes handed out").isLessThan(content.length);
        assertThat(told).hasValue(1);
    }

    @Test
    void aShortEntryFailsAtItsEnd() {
        byte[] shorter = java.util.Arrays.copyOf(content, content.length - 1);
        assertThatThrownBy(() -> checked(shorter, Zips.crc(content)).readAllBytes()).isInstanceOf(ZipException.class);
        assertThat(told).hasValue(1);
    }
}
