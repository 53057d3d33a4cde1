package io.jobyard.application.port.out;

import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Users' password hashes, apart from the users themselves (nothing that reads a user can leak one), with the count of
 * failed sign-ins in a row and the lock they may have led to.
 */
public interface PasswordRepository {

    /** The user's password, if they have one. */
    Optional<StoredPassword> find(UserId user);

    /** The encoded hash of {@code user}'s password, if they have one. */
    default Optional<String> findHash(UserId user) {
        return find(user).map(StoredPassword::hash);
    }

    /** Sets or replaces {@code user}'s password hash, clearing failures and lock. The user must exist. */
    void save(UserId user, String encodedHash, Instant changedAt);

    /** @return whether there was one */
    boolean delete(UserId user);

    /**
     * Counts one more failed sign-in in a row, atomically (two instances failing at once count two).
     *
     * @return the count now; 0 when the user has no password
     */
    int recordFailure(UserId user);

    /** Locks the password until {@code until} and starts the count again. */
    void lock(UserId user, Instant until);

    /** A successful sign-in: the count starts again and a lock that ran out is forgotten. */
    void clearFailures(UserId user);

    /**
     * @param failedAttempts failed sign-ins in a row since the last success, lock or new password
     * @param lockedUntil    the end of a lock, or null
     */
    record StoredPassword(String hash, int failedAttempts, Instant lockedUntil) {
        public StoredPassword {
            Objects.requireNonNull(hash, "hash");
        }
    }
}
