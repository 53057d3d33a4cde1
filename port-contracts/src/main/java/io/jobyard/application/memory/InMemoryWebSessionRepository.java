package io.jobyard.application.memory;

import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Web sessions in memory, taking part in {@link InMemoryTransactor}'s transactions. */
public final class InMemoryWebSessionRepository implements WebSessionRepository {
    private final InMemoryTransactor transactor;
    private final Map<String, WebSession> sessions = new HashMap<>();

    public InMemoryWebSessionRepository(InMemoryTransactor transactor) {
        this.transactor = transactor;
    }

    @Override
    public void insert(WebSession session) {
        transactor.locked(() -> {
            if (sessions.containsKey(session.idDigest())) {
                throw new ConflictException("a record with the same key already exists");
            }
            sessions.put(session.idDigest(), session);
            transactor.onRollback(() -> sessions.remove(session.idDigest()));
        });
    }

    @Override
    public Optional<WebSession> findByDigest(String idDigest) {
        return transactor.locked(() -> Optional.ofNullable(sessions.get(idDigest)));
    }

    @Override
    public boolean touch(String idDigest, Instant seenAt) {
        return transactor.locked(() -> {
            WebSession before = sessions.get(idDigest);
            if (before == null) {
                return false;
            }
            sessions.put(idDigest, before.seenAt(seenAt));
            transactor.onRollback(() -> sessions.put(idDigest, before));
            return true;
        });
    }

    @Override
    public boolean delete(String idDigest) {
        return transactor.locked(() -> {
            WebSession before = sessions.remove(idDigest);
            if (before != null) {
                transactor.onRollback(() -> sessions.put(idDigest, before));
            }
            return before != null;
        });
    }

    @Override
    public int deleteAllOf(UserId user) {
        return removeWhere(session -> session.userId().equals(user));
    }

    @Override
    public int deleteExpired(Instant idleBefore, Instant createdBefore) {
        return removeWhere(s -> s.lastSeenAt().isBefore(idleBefore) || s.createdAt().isBefore(createdBefore));
    }

    private int removeWhere(java.util.function.Predicate<WebSession> doomed) {
        return transactor.locked(() -> {
            List<WebSession> removed = sessions.values().stream().filter(doomed).toList();
            removed.forEach(session -> sessions.remove(session.idDigest()));
            transactor.onRollback(() -> removed.forEach(session -> sessions.put(session.idDigest(), session)));
            return removed.size();
        });
    }
}
