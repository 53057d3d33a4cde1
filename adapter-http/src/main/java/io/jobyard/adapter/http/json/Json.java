package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/** The one Jackson configuration of the HTTP adapter: records in, JSON bytes out; request bodies to trees. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /**
     * Writes {@code value} into {@code buffer} (emptied first): the reply path writes every answer of a thread into
     * one buffer it keeps, where {@link #write(Object)} grows a new array in pieces and copies it whole at the end —
     * a tenth of the server's allocation under the read benchmark.
     */
    public static void write(Object value, Buffer buffer) {
        buffer.reset();
        try {
            MAPPER.writeValue(buffer, value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A growable byte buffer to write JSON into again and again; not for sharing between threads. */
    public static final class Buffer extends OutputStream {
        private final int initial;
        private final int keepAtMost;
        private byte[] bytes;
        private int count;

        /**
         * @param initial    its first size
         * @param keepAtMost what {@link #reset} keeps: a larger array (one huge answer) is let go
         */
        public Buffer(int initial, int keepAtMost) {
            this.initial = initial;
            this.keepAtMost = keepAtMost;
            this.bytes = new byte[initial];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            ensure(length);
            System.arraycopy(source, offset, bytes, count, length);
            count += length;
        }

        private void ensure(int more) {
            if (bytes.length - count < more) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }

        /** Empty again, and back to its first size if it grew past what it keeps. */
        public void reset() {
            count = 0;
            if (bytes.length > keepAtMost) {
                bytes = new byte[initial];
            }
        }

        /** The array written into: its first {@link #size()} bytes are the content. */
        public byte[] array() {
            return bytes;
        }

        public int size() {
            return count;
        }
    }

    /** The parsed body, or empty when it is not JSON at all. */
    public static Optional<JsonNode> read(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return Optional.ofNullable(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(byte[] body) {
        return read(body).orElseThrow(() -> new IllegalArgumentException("not JSON"));
    }
}
