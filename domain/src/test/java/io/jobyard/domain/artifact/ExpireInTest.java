package io.jobyard.domain.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract §4 "Expiry": GitLab's expire_in durations (ChronicDuration), "never"/"0" and the 30 days default. */
class ExpireInTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

    @ParameterizedTest(name = "\"{0}\" = {1} s")
    @CsvSource(delimiter = '|', textBlock = """
            1 week              | 604800
            1 weeks             | 604800
            2 weeks             | 1209600
            30 days             | 2592000
            1 day               | 86400
            3 hours             | 10800
            2 hrs 20 min        | 8400
            2h 20m              | 8400
            1 day and 2 hours   | 93600
            1 day, 2 hours      | 93600
            1 hour 30 minutes 15 seconds | 5415
            42                  | 42
            42 seconds          | 42
            90 sec              | 90
            1.5 hours           | 5400
            1 month             | 2592000
            1 year              | 31557600
            '  1 Week  '        | 604800
            1 DAY               | 86400
            1week               | 604800
            """)
    void parsesGitLabDurations(String text, long seconds) {
        assertThat(ExpireIn.parse(text)).contains(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"never", "NEVER", " never ", "0", "0 days", "0 seconds"})
    void neverAndZeroMeanNoExpiry(String text) {
        assertThat(ExpireIn.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "forever", "days", "1 fortnight", "one week", "1 week later", "1 day -",
            "week 1", "1 weeks!", "-1 day", "and", ","})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> ExpireIn.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAMissingValue() {
        assertThatThrownBy(() -> ExpireIn.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theInstanceDefaultIsThirtyDays() {
        assertThat(ExpireIn.DEFAULT).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void expiryUsesTheGivenTextElseTheDefault() {
        assertThat(ExpireIn.expiryFor("1 week", ExpireIn.DEFAULT, NOW)).contains(NOW.plus(Duration.ofDays(7)));
        assertThat(ExpireIn.expiryFor(null, ExpireIn.DEFAULT, NOW)).contains(NOW.plus(Duration.ofDays(30)));
        assertThat(ExpireIn.expiryFor("  ", ExpireIn.DEFAULT, NOW)).contains(NOW.plus(Duration.ofDays(30)));
        assertThat(ExpireIn.expiryFor("never", ExpireIn.DEFAULT, NOW)).isEmpty();
        assertThat(ExpireIn.expiryFor("0", ExpireIn.DEFAULT, NOW)).isEmpty();
        assertThat(ExpireIn.expiryFor(null, null, NOW)).as("an instance without a default").isEmpty();
    }

    @Test
    void expiryOfAnInvalidTextIsRefused() {
        assertThatThrownBy(() -> ExpireIn.expiryFor("soon", ExpireIn.DEFAULT, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
