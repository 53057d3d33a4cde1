package io.jobyard.adapter.http.throttle;

import io.jobyard.adapter.http.throttle.FailedAuthenticationThrottle.Verdict;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Fail2ban on different unknown tokens per client address, moved through time by hand. */
class FailedAuthenticationThrottleTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private final FailedAuthenticationThrottle throttle = new FailedAuthenticationThrottle(ThrottleSettings.DEFAULTS);

    private static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTenthDifferentGuessWithinAMinuteIsAnsweredAndBansTheAddressForAnHour() {
        for (int i = 1; i <= 10; i++) {
            assertThat(throttle.ban("10.0.0.1", T0.plusSeconds(i))).isEmpty();
            assertThat(throttle.guessed("10.0.0.1", digest("guess-" + i), T0.plusSeconds(i))).isEqualTo(Verdict.COUNTED);
        }

        assertThat(throttle.ban("10.0.0.1", T0.plusSeconds(11)))
                .hasValueSatisfying(ban -> {
                    assertThat(ban.until()).isEqualTo(T0.plusSeconds(10).plus(Duration.ofHours(1)));
                    assertThat(ban.observed()).isEqualTo(10);
                });
        // a guess that was in flight when the ban began is refused too
        assertThat(throttle.guessed("10.0.0.1", digest("guess-11"), T0.plusSeconds(11))).isEqualTo(Verdict.BANNED);
        assertThat(throttle.ban("10.0.0.2", T0.plusSeconds(11))).as("another address").isEmpty();
    }

    @Test
    void theBanEndsAndTheAddressStartsAfresh() {
        for (int i = 0; i < 10; i++) {
            throttle.guessed("10.0.0.1", digest("g" + i), T0);
        }
        Instant end = T0.plus(Duration.ofHours(1));
        assertThat(throttle.ban("10.0.0.1", end.minusMillis(1))).isPresent();
        assertThat(throttle.ban("10.0.0.1", end)).isEmpty();

        for (int i = 0; i < 9; i++) {
            assertThat(throttle.guessed("10.0.0.1", digest("again" + i), end)).isEqualTo(Verdict.COUNTED);
        }
        assertThat(throttle.ban("10.0.0.1", end)).isEmpty();
    }

    @Test
    void oneStaleTokenRepeatedBansNobody() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(throttle.guessed("10.0.0.1", digest("deleted-runner-token"), T0.plusMillis(i)))
                    .isEqualTo(Verdict.COUNTED);
        }
        assertThat(throttle.ban("10.0.0.1", T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void guessesSpreadOverLongerThanThePeriodAreCountedPerWindow() {
        for (int i = 0; i < 9; i++) {
            throttle.guessed("10.0.0.1", digest("a" + i), T0.plusSeconds(i));
        }
        Instant nextWindow = T0.plus(Duration.ofMinutes(1));
        for (int i = 0; i < 9; i++) {
            throttle.guessed("10.0.0.1", digest("b" + i), nextWindow.plusSeconds(i));
        }
        assertThat(throttle.ban("10.0.0.1", nextWindow.plusSeconds(10))).isEmpty();
        throttle.guessed("10.0.0.1", digest("b9"), nextWindow.plusSeconds(10));
        assertThat(throttle.ban("10.0.0.1", nextWindow.plusSeconds(10))).isPresent();
    }

    @Test
    void theTableStaysBoundedAndKeepsItsBans() {
        for (int i = 0; i < 10; i++) {
            throttle.guessed("10.9.9.9", digest("ban" + i), T0);
        }
        for (int i = 0; i < FailedAuthenticationThrottle.MAX_TRACKED + 10; i++) {
            throttle.guessed("addr-" + i, digest("x"), T0);
            assertThat(throttle.tracked()).isLessThanOrEqualTo(FailedAuthenticationThrottle.MAX_TRACKED);
        }
        assertThat(throttle.ban("10.9.9.9", T0)).as("bans are kept").isPresent();
    }

    @Test
    void idleAddressesAreForgottenFirstSoLiveCountsSurviveACleanup() {
        for (int i = 0; i < FailedAuthenticationThrottle.MAX_TRACKED - 1; i++) {
            throttle.guessed("addr-" + i, digest("x"), T0);
        }
        Instant later = T0.plus(Duration.ofMinutes(2));
        throttle.guessed("10.0.0.1", digest("live-0"), later);
        // full: the next addition clears the idle addresses of T0, not the live count of 10.0.0.1
        for (int i = 1; i < 10; i++) {
            throttle.guessed("10.0.0.1", digest("live-" + i), later);
        }

        assertThat(throttle.tracked()).isEqualTo(1);
        assertThat(throttle.ban("10.0.0.1", later)).isPresent();
    }
}
