package io.jobyard.application.service.artifact;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InflatingEntryStreamTest {
    private final byte[] content = Zips.text(200_000);
    private final byte[] deflated = Zips.deflate(content);

    private final AtomicInteger told = new AtomicInteger();

    private InputStream inflating(byte[] data, long size, long crc) {
        return new InflatingEntryStream(new ByteArrayInputStream(data), size, crc, told::incrementAndGet);
    }

    @Test
    void inflatesExactlyTheDeclaredBytes() throws IOException {
        try (InputStream in = inflating(deflated, content.length, Zips.crc(content))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void anEmptyEntryInflatesToNothing() throws IOException {
        byte[] empty = Zips.deflate(new byte[0]);
        try (InputStream in = inflating(empty, 0, 0)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void truncatedDataFails() {
        byte[] truncated = Arrays.copyOf(deflated, deflated.length / 2);

        assertThatThrownBy(() -> inflating(truncated, content.length, Zips.crc(content)).readAllBytes())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aWrongCrcFailsAtTheEnd() {
        assertThatThrownBy(() -> inflating(deflated, content.length, Zips.crc(content) ^ 1).readAllBytes())
                .isInstanceOf(ZipException.class).hasMessageContaining("CRC");
    }

    @Test
    void aWrongCrcFailsBeforeTheLastBytesAreHandedOutSoACopyOfTheDeclaredLengthNeverCompletes() throws IOException {
        // as the HTTP layer copies: exactly the declared length, never asking for the end of the stream
        try (InputStream in = inflating(deflated, content.length, Zips.crc(content) ^ 1)) {
            long delivered = 0;
            byte[] buffer = new byte[64 * 1024];
            try {
                while (delivered < content.length) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, content.length - delivered));
                    delivered += n;
                }
            } catch (ZipException expected) {
                assertThat(expected).hasMessageContaining("CRC");
            }
            assertThat(delivered).isLessThan(content.length);
        }
        assertThat(told).as("told once").hasValue(1);
    }

    @Test
    void moreDataThanDeclaredFailsWithoutDeliveringIt() throws IOException {
        try (InputStream in = inflating(deflated, 1000, Zips.crc(Arrays.copyOf(content, 1000)))) {
            assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(content, 1000));
            assertThatThrownBy(in::read).isInstanceOf(ZipException.class).hasMessageContaining("beyond");
        }
    }

    @Test
    void lessDataThanDeclaredFails() {
        assertThatThrownBy(() -> inflating(deflated, content.length + 1L, Zips.crc(content)).readAllBytes())
                .isInstanceOf(ZipException.class);
    }

    @Test
    void garbageIsNotDeflateData() {
        assertThatThrownBy(() -> inflating(Zips.random(1000, 9), 5000, 0).readAllBytes())
                .isInstanceOf(IOException.class);
        assertThat(told).hasValue(1);
    }

    @Test
    void anIntactEntryTellsNothing() throws IOException {
        try (InputStream in = inflating(deflated, content.length, Zips.crc(content))) {
            in.readNBytes(content.length);
        }
        assertThat(told).hasValue(0);
    }
}
