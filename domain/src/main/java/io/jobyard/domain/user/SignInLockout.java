package io.jobyard.domain.user;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How wrong passwords lock an account, as GitLab's Devise configuration has it: after {@code maxAttempts} failed
 * sign-ins in a row (10) the password stops working for {@code lockFor} (10 minutes), right or wrong. A successful
 * sign-in clears the count; a new password set by an administrator unlocks at once.
 */
public record SignInLockout(int maxAttempts, Duration lockFor) {
    public static final SignInLockout GITLAB = new SignInLockout(10, Duration.ofMinutes(10));

    public SignInLockout {
        Objects.requireNonNull(lockFor, "lockFor");
        if (maxAttempts < 1 || lockFor.isNegative() || lockFor.isZero()) {
            throw new IllegalArgumentException("a lockout needs at least one attempt and a positive duration");
        }
    }

    /** @param lockedUntil the end of the account's lock, or null when it has none */
    public boolean locked(Instant lockedUntil, Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    /** Whether the {@code failures}-th failure in a row locks the account. */
    public boolean locksAfter(int failures) {
        return failures >= maxAttempts;
    }
}
