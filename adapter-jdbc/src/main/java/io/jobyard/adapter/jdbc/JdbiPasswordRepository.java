package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.session.PasswordRepository;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Password hashes in {@code user_passwords}, one row per user that has a password. */
public final class JdbiPasswordRepository implements PasswordRepository {
    private final Database database;

    JdbiPasswordRepository(Database database) {
        this.database = database;
    }

    @Override
    public Optional<String> findHash(UserId user) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT password_hash FROM user_passwords WHERE user_id = :user")
                .bind("user", user.value()).mapTo(String.class).findOne());
    }

    /**
     * Update, else insert, in one transaction; two saves racing on a user's first password: the loser meets the key,
     * and its transaction (joined or its own) fails as a conflict rather than losing a write silently.
     */
    @Override
    public void save(UserId user, String encodedHash, Instant changedAt) {
        Objects.requireNonNull(encodedHash, "encodedHash");
        database.inTransaction(handle -> {
            int updated = handle.createUpdate("UPDATE user_passwords SET password_hash = :hash, changed_at = :at "
                            + "WHERE user_id = :user")
                    .bind("user", user.value()).bind("hash", encodedHash).bind("at", Values.instant(changedAt))
                    .execute();
            if (updated == 0) {
                handle.createUpdate("INSERT INTO user_passwords (user_id, password_hash, changed_at) "
                                + "VALUES (:user, :hash, :at)")
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
}
