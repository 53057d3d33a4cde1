package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Password hashes in {@code user_passwords}, one row per user that has a password, with the failed sign-in count. */
public final class JdbiPasswordRepository implements PasswordRepository {
    private final Database database;

    JdbiPasswordRepository(Database database) {
        this.database = database;
    }

    @Override
    public Optional<StoredPassword> find(UserId user) {
        return database.withHandle(handle -> handle.createQuery("SELECT password_hash, failed_attempts, locked_until "
                        + "FROM user_passwords WHERE user_id = :user")
                .bind("user", user.value())
                .map((rs, ctx) -> new StoredPassword(rs.getString("password_hash"), rs.getInt("failed_attempts"),
                        Values.instant(rs, "locked_until")))
                .findOne());
    }

    /**
     * Update, else insert, in one transaction; two saves racing on a user's first password: the loser meets the key,
     * and its transaction (joined or its own) fails as a conflict rather than losing a write silently.
     */
    @Override
    public void save(UserId user, String encodedHash, Instant changedAt) {
        Objects.requireNonNull(encodedHash, "encodedHash");
        database.inTransaction(handle -> {
            int updated = handle.createUpdate("UPDATE user_passwords SET password_hash = :hash, changed_at = :at, "
                            + "failed_attempts = 0, locked_until = NULL WHERE user_id = :user")
                    .bind("user", user.value()).bind("hash", encodedHash).bind("at", Values.instant(changedAt))
                    .execute();
            if (updated == 0) {
                handle.createUpdate("INSERT INTO user_passwords (user_id, password_hash, changed_at, "
                                + "failed_attempts) VALUES (:user, :hash, :at, 0)")
                        .bind("user", user.value()).bind("hash", encodedHash).bind("at", Values.instant(changedAt))
                        .execute();
            }
            return null;
        });
    }

    @Override
    public boolean delete(UserId user) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM user_passwords WHERE user_id = :user")
                .bind("user", user.value()).execute()) > 0;
    }

    /** The increment is one statement, so failures from several instances at once all count. */
    @Override
    public int recordFailure(UserId user) {
        return database.inTransaction(handle -> {
            handle.createUpdate("UPDATE user_passwords SET failed_attempts = failed_attempts + 1 WHERE user_id = :user")
                    .bind("user", user.value()).execute();
            return handle.createQuery("SELECT failed_attempts FROM user_passwords WHERE user_id = :user")
                    .bind("user", user.value()).mapTo(Integer.class).findOne().orElse(0);
        });
    }

    @Override
    public void lock(UserId user, Instant until) {
        database.withHandle(handle -> handle.createUpdate("UPDATE user_passwords SET failed_attempts = 0, "
                        + "locked_until = :until WHERE user_id = :user")
                .bind("user", user.value()).bind("until", Values.instant(until)).execute());
    }

    @Override
    public void clearFailures(UserId user) {
        database.withHandle(handle -> handle.createUpdate("UPDATE user_passwords SET failed_attempts = 0, "
                        + "locked_until = NULL WHERE user_id = :user")
                .bind("user", user.value()).execute());
    }
}
