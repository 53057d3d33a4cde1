package io.jobyard.application.port.out.session;

import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Optional;

/** Users' password hashes, apart from the users themselves: nothing that reads a user can leak one. */
public interface PasswordRepository {

    /** The encoded hash of {@code user}'s password, if they have one. */
    Optional<String> findHash(UserId user);

    /** Sets or replaces {@code user}'s password hash. The user must exist. */
    void save(UserId user, String encodedHash, Instant changedAt);

    /** @return whether there was one */
    boolean delete(UserId user);
}
