package io.jobyard.adapter.http.json;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTimeTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void recordTimesAreUtcWithThreeFractionDigits() {
        assertThat(ApiTime.utc(Instant.parse("2015-12-24T15:51:21.802345Z"))).isEqualTo("2015-12-24T15:51:21.802Z");
        assertThat(ApiTime.utc(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("2024-01-02T03:04:05.000Z");
        assertThat(ApiTime.utc(Instant.parse("0001-01-01T00:00:00.009Z"))).isEqualTo("0001-01-01T00:00:00.009Z");
        assertThat(ApiTime.utc(null)).isNull();
    }

    @Property(tries = 2000)
    void writesWhatTheFormatterWrites(@ForAll @LongRange(min = -62_167_219_200_000L, max = 253_402_300_799_999L)
                                      long epochMilli, @ForAll @LongRange(max = 999_999) long extraNanos) {
        Instant instant = Instant.ofEpochMilli(epochMilli).plusNanos(extraNanos);

        assertThat(ApiTime.utc(instant)).isEqualTo(REFERENCE.format(instant.truncatedTo(ChronoUnit.MILLIS)));
    }

    @Test
    void yearsBeyondFourDigitsStillFormat() {
        Instant far = Instant.parse("+12345-06-07T08:09:10.111Z");
        assertThat(ApiTime.utc(far)).isEqualTo(REFERENCE.format(far));
    }
}
