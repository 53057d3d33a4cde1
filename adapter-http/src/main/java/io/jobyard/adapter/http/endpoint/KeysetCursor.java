package io.jobyard.adapter.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * GitLab's keyset cursor: URL-safe Base64 (padded, as Ruby's {@code urlsafe_encode64}) of a JSON object holding the
 * order's values of the last row on the page and the direction, {@code {"id":"<last id>","_kd":"n"}} for GitLab's one
 * order. Lists in other orders add the order's value as GitLab's cursors do ({@code {"created_at":"…","id":"…",
 * "_kd":"n"}}): times in ISO 8601 with microseconds, a duration in seconds, JSON null for a job without one. Only
 * forward cursors exist here: Jobyard never emits a {@code rel="prev"} link, so a backward ({@code "p"}) cursor is
 * refused like a malformed one, and so is a cursor without the value its list's order needs.
 */
public final class KeysetCursor {
    static final String INVALID = "cursor is invalid";

    private KeysetCursor() {
    }

    /** A cursor after {@code lastOnPage} in id order. */
    public static String encode(JobId lastOnPage) {
        return encodeId(lastOnPage.value());
    }

    /** A cursor after the row with this id in id order. */
    public static String encodeId(long id) {
        return base64("{\"id\":\"" + id + "\",\"_kd\":\"n\"}");
    }

    /** A cursor after {@code lastOnPage} in {@code ordering}. */
    public static String encode(JobOrdering ordering, Job lastOnPage) {
        if (ordering.by() == JobOrder.ID) {
            return encode(lastOnPage.id());
        }
        long key = ordering.keyOf(lastOnPage);
        String value;
        if (ordering.by().hasNone() && key == JobOrder.none(ordering.ascending())) {
            value = "null";
        } else if (ordering.by() == JobOrder.DURATION) {
            value = "\"" + BigDecimal.valueOf(key, 6).toPlainString() + "\"";
        } else {
            value = "\"" + JobOrder.instant(key) + "\"";
        }
        return encodeValue(fieldOf(ordering.by()), value, lastOnPage.id().value());
    }

    /** A cursor after the row with {@code id} whose value of {@code field} is {@code time}. */
    public static String encodeTime(String field, Instant time, long id) {
        return encodeValue(field, "\"" + time + "\"", id);
    }

    private static String encodeValue(String field, String jsonValue, long id) {
        return base64("{\"" + field + "\":" + jsonValue + ",\"id\":\"" + id + "\",\"_kd\":\"n\"}");
    }

    /** The id the next page starts below (id order). */
    public static JobId decode(String cursor) {
        return JobId.of(decodeId(cursor));
    }

    /** The id of a cursor in id order. */
    public static long decodeId(String cursor) {
        return id(object(cursor));
    }

    /** The position a cursor of a job list in {@code ordering} names. */
    public static SortKey decode(String cursor, JobOrdering ordering) {
        JsonNode node = object(cursor);
        long id = id(node);
        if (ordering.by() == JobOrder.ID) {
            return SortKey.ofId(id);
        }
        JsonNode value = node.get(fieldOf(ordering.by()));
        if (value == null) {
            throw invalid();
        }
        if (value.isNull()) {
            if (ordering.by() != JobOrder.FINISHED_AT && ordering.by() != JobOrder.DURATION) {
                throw invalid();
            }
            return new SortKey(JobOrder.none(ordering.ascending()), id);
        }
        if (!value.isTextual()) {
            throw invalid();
        }
        if (ordering.by() == JobOrder.DURATION) {
            try {
                return new SortKey(new BigDecimal(value.asText()).movePointRight(6).longValueExact(), id);
            } catch (NumberFormatException | ArithmeticException notADuration) {
                throw invalid();
            }
        }
        return new SortKey(JobOrder.micros(time(value)), id);
    }

    /** The time a cursor holds under {@code field}, and its id. */
    public static SortKey decodeTime(String cursor, String field) {
        JsonNode node = object(cursor);
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid();
        }
        return new SortKey(JobOrder.micros(time(value)), id(node));
    }

    private static Instant time(JsonNode value) {
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException notATime) {
            throw invalid();
        }
    }

    static String fieldOf(JobOrder order) {
        return order.name().toLowerCase(Locale.ROOT);
    }

    private static JsonNode object(String cursor) {
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
        return node;
    }

    private static long id(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw invalid();
        }
        Optional<BigInteger> value = Params.parseInteger(id.asText());
        if (value.isEmpty() || value.get().signum() <= 0 || value.get().bitLength() > 63) {
            throw invalid();
        }
        return value.get().longValueExact();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static InvalidParameterException invalid() {
        return new InvalidParameterException(INVALID);
    }
}
