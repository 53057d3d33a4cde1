package io.jobyard.adapter.http.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * GitLab's timestamp spellings. Record times are UTC with exactly three fraction digits and {@code Z}
 * ({@code 2015-12-24T15:51:21.802Z}, the only form gitlab4j parses); git commit dates keep the committer's offset
 * ({@code 2015-12-24T16:51:14.000+01:00}), a zero offset written {@code +00:00} as Ruby does.
 */
public final class ApiTime {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OFFSET_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    private ApiTime() {
    }

    public static String utc(Instant instant) {
        return instant == null ? null : UTC_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    public static String withOffset(OffsetDateTime time) {
        return time == null ? null : OFFSET_MILLIS.format(time.truncatedTo(ChronoUnit.MILLIS));
    }
}
