package io.jobyard.adapter.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobId;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * GitLab's keyset cursor for jobs (id descending): URL-safe Base64 (padded, as Ruby's {@code urlsafe_encode64}) of
 * {@code {"id":"<last id>","_kd":"n"}}. Only forward cursors exist here: Jobyard never emits a {@code rel="prev"}
 * link, so a backward ({@code "p"}) cursor is refused like a malformed one.
 */
final class KeysetCursor {
    static final String INVALID = "cursor is invalid";

    private KeysetCursor() {
    }

    static String encode(JobId lastOnPage) {
        String json = "{\"id\":\"" + lastOnPage.value() + "\",\"_kd\":\"n\"}";
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The id the next page starts below. */
    static JobId decode(String cursor) {
        String standard = cursor.trim().replace('-', '+').replace('_', '/');
        while (standard.length() % 4 != 0) {
            standard = standard + "=";
        }
        byte[] json;
        try {
            json = Base64.getDecoder().decode(standard);
        } catch (IllegalArgumentException notBase64) {
            throw invalid();
        }
        JsonNode node = Json.read(json).filter(JsonNode::isObject).orElseThrow(KeysetCursor::invalid);
        JsonNode direction = node.get("_kd");
        if (direction != null && !(direction.isTextual() && direction.asText().equals("n"))) {
            throw invalid();
        }
        JsonNode id = node.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw invalid();
        }
        Optional<BigInteger> value = Params.parseInteger(id.asText());
        if (value.isEmpty() || value.get().signum() <= 0 || value.get().bitLength() > 63) {
            throw invalid();
        }
        return JobId.of(value.get().longValueExact());
    }

    private static InvalidParameterException invalid() {
        return new InvalidParameterException(INVALID);
    }
}
