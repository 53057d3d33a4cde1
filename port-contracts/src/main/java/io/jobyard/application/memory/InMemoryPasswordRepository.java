package io.jobyard.application.memory;

import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Password hashes in memory, taking part in {@link InMemoryTransactor}'s transactions. */
public final class InMemoryPasswordRepository implements PasswordRepository {
    private final InMemoryTransactor transactor;
    private final Map<UserId, StoredPassword> passwords = new HashMap<>();

    public InMemoryPasswordRepository(InMemoryTransactor transactor) {
        this.transactor = transactor;
    }

    @Override
    public Optional<StoredPassword> find(UserId user) {
        return transactor.locked(() -> Optional.ofNullable(passwords.get(user)));
    }

    @Override
    public void save(UserId user, String encodedHash, Instant changedAt) {
        Objects.requireNonNull(encodedHash, "encodedHash");
        transactor.locked(() -> put(user, new StoredPassword(encodedHash, 0, null)));
    }

    @Override
    public boolean delete(UserId user) {
        return transactor.locked(() -> put(user, null) != null);
    }

    @Override
    public int recordFailure(UserId user) {
        return transactor.locked(() -> {
            StoredPassword after = change(user, p -> new StoredPassword(p.hash(), p.failedAttempts() + 1,
                    p.lockedUntil()));
            return after == null ? 0 : after.failedAttempts();
        });
    }

    @Override
    public void lock(UserId user, Instant until) {
        transactor.locked(() -> change(user, p -> new StoredPassword(p.hash(), 0, until)));
    }

    @Override
    public void clearFailures(UserId user) {
        transactor.locked(() -> change(user, p -> new StoredPassword(p.hash(), 0, null)));
    }

    /** Call holding the lock. */
    private StoredPassword change(UserId user, UnaryOperator<StoredPassword> change) {
        StoredPassword current = passwords.get(user);
        if (current == null) {
            return null;
        }
        StoredPassword changed = change.apply(current);
        put(user, changed);
        return changed;
    }

    /** Call holding the lock; null removes. Answers what was there. */
    private StoredPassword put(UserId user, StoredPassword value) {
        StoredPassword before = value == null ? passwords.remove(user) : passwords.put(user, value);
        transactor.onRollback(() -> {
            if (before == null) {
                passwords.remove(user);
            } else {
                passwords.put(user, before);
            }
        });
        return before;
    }
}
