package io.jobyard.application.stream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangeInputStreamTest {
    private static final byte[] SOURCE = new byte[1000];

    static {
        for (int i = 0; i < SOURCE.length; i++) {
            SOURCE[i] = (byte) (i * 7 + 3);
        }
    }

    /** A source that hands out at most {@code step} bytes per read, as chunked sources do, and may end early. */
    private static final class Stepped extends RangeInputStream {
        private final byte[] source;
        private final int step;

        Stepped(byte[] source, int step, long position, long length) {
            super(position, length);
            this.source = source;
            this.step = step;
        }

        @Override
        protected int readAt(long position, byte[] buffer, int offset, int length) throws IOException {
            int n = (int) Math.min(Math.min(length, step), source.length - position);
            if (n <= 0) {
                return 0; // a source that ends before the range: the stream must not call this the end
            }
            System.arraycopy(source, (int) position, buffer, offset, n);
            return n;
        }
    }

    @Property
    void anyRangeReadsExactlyItsBytesWhateverTheSourceHandsOutPerRead(
            @ForAll @IntRange(min = 0, max = 1000) int position, @ForAll @IntRange(min = 0, max = 1000) int length,
            @ForAll @IntRange(min = 1, max = 300) int step, @ForAll @IntRange(min = 1, max = 500) int buffer)
            throws IOException {
        int within = Math.min(length, SOURCE.length - position);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RangeInputStream in = new Stepped(SOURCE, step, position, within)) {
            byte[] chunk = new byte[buffer];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                out.write(chunk, 0, n);
            }
            assertThat(in.remaining()).isZero();
            assertThat(in.position()).isEqualTo(position + within);
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(SOURCE, position, position + within));
    }

    @Test
    void singleBytesSkipsAndTheEndOfTheRange() throws IOException {
        try (RangeInputStream in = new Stepped(SOURCE, 3, 10, 6)) {
            assertThat(in.read()).isEqualTo(SOURCE[10] & 0xff);
            assertThat(in.skip(2)).isEqualTo(2);
            assertThat(in.position()).isEqualTo(13);
            assertThat(in.read(new byte[0], 0, 0)).isZero();
            assertThat(in.skip(100)).as("skips stop at the end of the range").isEqualTo(3);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[4])).isEqualTo(-1);
            assertThat(in.skip(-5)).isZero();
        }
    }

    @Test
    void aSourceThatEndsBeforeTheRangeIsAnErrorNotTheEnd() throws IOException {
        try (RangeInputStream in = new Stepped(SOURCE, 100, 990, 20)) {
            assertThat(in.read(new byte[50])).isEqualTo(10);
            assertThatThrownBy(() -> in.read(new byte[50])).isInstanceOf(IOException.class)
                    .hasMessageContaining("10 bytes early at position 1000");
        }
    }

    @Test
    void closingEndsTheRangeAndNegativeRangesAreRefused() throws IOException {
        RangeInputStream in = new Stepped(SOURCE, 10, 0, 50);
        in.close();
        assertThat(in.read()).isEqualTo(-1);
        assertThatThrownBy(() -> new Stepped(SOURCE, 1, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Stepped(SOURCE, 1, 0, -5)).isInstanceOf(IllegalArgumentException.class);
    }
}
