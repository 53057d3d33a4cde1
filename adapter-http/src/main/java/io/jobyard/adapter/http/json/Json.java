package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The one Jackson configuration of the HTTP adapter: records in, JSON bytes out; request bodies to trees. */
public final class Json {
    /**
     * Blackbird reads the records' properties through generated accessors instead of reflective calls, which took
     * 2.7 % of the server's CPU samples under the read benchmark (JFR); the JSON is the same.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new BlackbirdModule())
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
