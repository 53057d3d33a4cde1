package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.domain.error.InvalidParameterException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Parameter types the list endpoints share, read as Grape coerces and validates them. */
public final class ParamValues {
    private ParamValues() {
    }

    /**
     * A parameter declared with {@code values:}: absent or empty is absent, anything not listed is
     * {@code {"error":"<name> does not have a valid value"}}.
     */
    public static <T> Optional<T> choice(Params params, String name, Map<String, T> values) {
        Optional<String> text = params.text(name).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        T value = values.get(text.get());
        if (value == null) {
            throw new InvalidParameterException(name + " does not have a valid value");
        }
        return Optional.of(value);
    }

    /**
     * A {@code DateTime} parameter (ISO 8601, as GitLab documents it): with an offset, or without one read as UTC,
     * or a bare date meaning its midnight in UTC. Anything else is {@code {"error":"<name> is invalid"}}.
     */
    public static Optional<Instant> dateTime(Params params, String name) {
        Optional<String> text = params.text(name).map(String::trim).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notADateTime) {
                try {
                    return Optional.of(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException notADate) {
                    throw Params.invalid(name);
                }
            }
        }
    }
}
