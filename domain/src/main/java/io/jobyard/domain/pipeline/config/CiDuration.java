package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.artifact.ExpireIn;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The durations of {@code timeout:} and {@code start_in:}, which GitLab parses with ChronicDuration: "1h 30m",
 * "2 days", "42" (seconds). Unlike {@code artifacts:expire_in}, "never" is no duration here.
 */
final class CiDuration {
    /** GitLab's {@code Project::MAX_BUILD_TIMEOUT} (ActiveSupport's 1.month) as ChronicDuration writes it back. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(2_629_746);
    /** The {@code start_in} limit of {@code Entry::Job}: {@code duration: { limit: '1 week' }}. */
    static final Duration MAX_START_IN = Duration.ofDays(7);

    private CiDuration() {
    }

    /** @return the duration a configuration value stands for, or empty when GitLab would not call it a duration */
    static Optional<Duration> parse(Object value) {
        if (!(value instanceof String text) || text.trim().toLowerCase(Locale.ROOT).equals("never")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExpireIn.parse(text).orElse(Duration.ZERO));
        } catch (IllegalArgumentException notADuration) {
            return Optional.empty();
        }
    }

    /** {@code artifacts:expire_in}: a duration or "never" (GitLab's {@code Ci::Build::DurationParser}). */
    static boolean isExpireIn(Object value) {
        if (!(value instanceof String text)) {
            return false;
        }
        try {
            ExpireIn.parse(text);
            return true;
        } catch (IllegalArgumentException notADuration) {
            return false;
        }
    }
}
