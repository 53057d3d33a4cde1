package io.jobyard.adapter.http.json;

import java.time.Instant;
import java.time.LocalDateTime;
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

    /**
     * Written by hand for the years 0001-9999 (DateTimeFormatter took a sixth of a job listing's CPU: every job shows
     * up to seven such times); other years go through the formatter.
     */
    public static String utc(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > 9999) {
            return UTC_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        char[] text = new char[24];
        digits(text, 0, t.getYear(), 4);
        text[4] = '-';
        digits(text, 5, t.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, t.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, t.getHour(), 2);
        text[13] = ':';
        digits(text, 14, t.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, t.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, t.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public static String withOffset(OffsetDateTime time) {
        return time == null ? null : OFFSET_MILLIS.format(time.truncatedTo(ChronoUnit.MILLIS));
    }
}
