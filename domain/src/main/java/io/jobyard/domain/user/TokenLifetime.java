package io.jobyard.domain.user;

import java.time.LocalDate;
import java.util.Optional;

/**
 * How long a new personal access token may live, GitLab's rule for tokens it creates: with expiry required (GitLab's
 * default, {@code require_personal_access_token_expiry}), a token created without an expiry date gets the longest
 * lifetime, 365 days from today ({@code MAX_PERSONAL_ACCESS_TOKEN_LIFETIME_IN_DAYS}); one asked for later than that
 * is refused with "Expires at must be before &lt;date&gt;"; and a rotated token without a date lives a week. Without
 * the requirement ({@link #UNLIMITED}) a token lives as long as it is asked to, forever when no date is given.
 *
 * @param maxDays the longest lifetime in days, or null for no limit and no required expiry
 */
public record TokenLifetime(Integer maxDays) {
    /** GitLab's {@code PersonalAccessToken::MAX_PERSONAL_ACCESS_TOKEN_LIFETIME_IN_DAYS}. */
    public static final int GITLAB_MAX_DAYS = 365;
    /** GitLab's {@code PersonalAccessTokens::RotateService::EXPIRATION_PERIOD}. */
    public static final int ROTATION_DAYS = 7;
    public static final TokenLifetime DEFAULT = new TokenLifetime(GITLAB_MAX_DAYS);
    public static final TokenLifetime UNLIMITED = new TokenLifetime(null);

    public TokenLifetime {
        if (maxDays != null && maxDays < 1) {
            throw new IllegalArgumentException("a token's longest lifetime is at least one day, was " + maxDays);
        }
    }

    /** The expiry of a token created today without one: the longest allowed, or none. */
    public LocalDate defaultExpiry(LocalDate today) {
        return maxDays == null ? null : today.plusDays(maxDays);
    }

    /** The expiry of a token rotated today without one: a week, or none. */
    public LocalDate rotationExpiry(LocalDate today) {
        return maxDays == null ? null : today.plusDays(ROTATION_DAYS);
    }

    /** GitLab's validation message when {@code expiresAt} is later than a token created today may live. */
    public Optional<String> refusal(LocalDate expiresAt, LocalDate today) {
        if (maxDays == null || expiresAt == null) {
            return Optional.empty();
        }
        LocalDate latest = today.plusDays(maxDays);
        return expiresAt.isAfter(latest) ? Optional.of("Expires at must be before " + latest) : Optional.empty();
    }
}
