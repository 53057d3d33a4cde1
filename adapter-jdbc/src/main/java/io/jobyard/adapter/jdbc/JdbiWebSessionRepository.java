package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.domain.session.SignInMethod;
import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.UserId;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Optional;

/** Web sessions in {@code web_sessions}, keyed by the digest of the session id. */
public final class JdbiWebSessionRepository implements WebSessionRepository {
    private static final RowMapper<WebSession> ROW = (rs, ctx) -> new WebSession(rs.getString("id_digest"),
            UserId.of(rs.getLong("user_id")), SignInMethod.valueOf(rs.getString("method")),
            Values.nullableLong(rs, "token_id"), Values.instant(rs, "created_at"),
            Values.instant(rs, "last_seen_at"));

    private final Database database;

    JdbiWebSessionRepository(Database database) {
        this.database = database;
    }

    @Override
    public void insert(WebSession session) {
        database.withHandle(handle -> handle.createUpdate("INSERT INTO web_sessions (id_digest, user_id, method, "
                        + "token_id, created_at, last_seen_at) VALUES (:digest, :user, :method, :token, :created, "
                        + ":seen)")
                .bind("digest", session.idDigest()).bind("user", session.userId().value())
                .bind("method", session.method().name()).bind("token", session.tokenId())
                .bind("created", Values.instant(session.createdAt()))
                .bind("seen", Values.instant(session.lastSeenAt())).execute());
    }

    @Override
    public Optional<WebSession> findByDigest(String idDigest) {
        return database.withHandle(handle -> handle.createQuery("SELECT id_digest, user_id, method, token_id, "
                        + "created_at, last_seen_at FROM web_sessions WHERE id_digest = :digest")
                .bind("digest", idDigest).map(ROW).findOne());
    }

    @Override
    public boolean touch(String idDigest, Instant seenAt) {
        return database.withHandle(handle -> handle.createUpdate(
                        "UPDATE web_sessions SET last_seen_at = :seen WHERE id_digest = :digest")
                .bind("digest", idDigest).bind("seen", Values.instant(seenAt)).execute()) > 0;
    }

    @Override
    public boolean delete(String idDigest) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM web_sessions WHERE id_digest = :digest")
                .bind("digest", idDigest).execute()) > 0;
    }

    @Override
    public int deleteAllOf(UserId user) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM web_sessions WHERE user_id = :user")
                .bind("user", user.value()).execute());
    }

    @Override
    public int deleteExpired(Instant idleBefore, Instant createdBefore) {
        return database.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM web_sessions WHERE last_seen_at < :idle OR created_at < :created")
                .bind("idle", Values.instant(idleBefore)).bind("created", Values.instant(createdBefore)).execute());
    }
}
