package io.jobyard.adapter.http.throttle;

import java.time.Duration;
import java.util.Objects;

/**
 * The failed-authentication throttle: a client address that presents {@code limit} different tokens matching nothing
 * within {@code period} is refused every API request for {@code ban}. The defaults are GitLab's for failed sign-ins
 * ({@code rack_attack_git_basic_auth}: {@code maxretry} 10, {@code findtime} 60 s, {@code bantime} 1 h).
 *
 * @param trustedProxies whose {@code X-Forwarded-For} names the client
 */
public record ThrottleSettings(int limit, Duration period, Duration ban, TrustedProxies trustedProxies) {
    public static final int DEFAULT_LIMIT = 10;
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
    public static final Duration DEFAULT_BAN = Duration.ofHours(1);
    public static final ThrottleSettings DEFAULTS = new ThrottleSettings(DEFAULT_LIMIT, DEFAULT_PERIOD, DEFAULT_BAN,
            TrustedProxies.NONE);

    public ThrottleSettings {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(ban, "ban");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        if (limit < 1) {
            throw new IllegalArgumentException("the limit of failed authentications must be at least 1");
        }
        if (period.toSeconds() < 1 || ban.toSeconds() < 1) {
            throw new IllegalArgumentException("the period and the ban last at least a second");
        }
    }
}
