package io.jobyard.domain.session;

import io.jobyard.domain.user.UserId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionPolicyTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static WebSession session(Instant created, Instant seen) {
        return new WebSession("a".repeat(64), UserId.of(1), SignInMethod.PASSWORD, null, created, seen);
    }

    @Test
    void aSessionEndsAtTheEarlierOfItsIdleAndItsAbsoluteLimit() {
        SessionPolicy policy = new SessionPolicy(Duration.ofHours(8), Duration.ofDays(1));

        assertThat(policy.expiresAt(session(T0, T0))).isEqualTo(T0.plus(Duration.ofHours(8)));
        assertThat(policy.expiresAt(session(T0, T0.plus(Duration.ofHours(20))))).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(policy.expired(session(T0, T0), T0.plus(Duration.ofHours(8)).minusMillis(1))).isFalse();
        assertThat(policy.expired(session(T0, T0), T0.plus(Duration.ofHours(8)))).isTrue();
    }

    @Test
    void useIsWrittenAgainAfterAHundredthOfTheIdleTimeoutAtMostAMinute() {
        assertThat(SessionPolicy.DEFAULTS.touchInterval()).isEqualTo(Duration.ofMinutes(1));
        SessionPolicy short_ = new SessionPolicy(Duration.ofMinutes(10), Duration.ofDays(1));
        assertThat(short_.touchInterval()).isEqualTo(Duration.ofSeconds(6));
        assertThat(short_.needsTouch(session(T0, T0), T0.plusSeconds(5))).isFalse();
        assertThat(short_.needsTouch(session(T0, T0), T0.plusSeconds(6))).isTrue();
    }

    @Test
    void aStoredSessionIsConsistent() {
        assertThatThrownBy(() -> new WebSession("raw-session-id", UserId.of(1), SignInMethod.PASSWORD, null, T0, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSession("a".repeat(64), UserId.of(1), SignInMethod.ACCESS_TOKEN, null, T0,
                T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSession("a".repeat(64), UserId.of(1), SignInMethod.PASSWORD, 5L, T0, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionPolicy(Duration.ZERO, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
