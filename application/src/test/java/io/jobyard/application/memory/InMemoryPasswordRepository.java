package io.jobyard.application.memory;

import io.jobyard.application.port.out.session.PasswordRepository;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Password hashes in memory, taking part in {@link InMemoryTransactor}'s transactions. */
public final class InMemoryPasswordRepository implements PasswordRepository {
    private final InMemoryTransactor transactor;
    private final Map<UserId, String> hashes = new HashMap<>();

    public InMemoryPasswordRepository(InMemoryTransactor transactor) {
        this.transactor = transactor;
    }

    @Override
    public Optional<String> findHash(UserId user) {
        return transactor.locked(() -> Optional.ofNullable(hashes.get(user)));
    }

    @Override
    public void save(UserId user, String encodedHash, Instant changedAt) {
        Objects.requireNonNull(encodedHash, "encodedHash");
        transactor.locked(() -> {
            String before = hashes.put(user, encodedHash);
            transactor.onRollback(() -> restore(user, before));
        });
    }

    @Override
    public boolean delete(UserId user) {
        return transactor.locked(() -> {
            String before = hashes.remove(user);
            transactor.onRollback(() -> restore(user, before));
            return before != null;
        });
    }

    private void restore(UserId user, String hash) {
        if (hash == null) {
            hashes.remove(user);
        } else {
            hashes.put(user, hash);
        }
    }
}
