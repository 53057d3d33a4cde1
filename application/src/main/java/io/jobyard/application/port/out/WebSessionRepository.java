package io.jobyard.application.port.out;

import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Optional;

/**
 * Signed-in browsers, in the database so that every instance serves them. Looked up by the digest of the session id.
 */
public interface WebSessionRepository {

    /** @throws io.jobyard.domain.error.ConflictException when a session with this digest exists */
    void insert(WebSession session);

    Optional<WebSession> findByDigest(String idDigest);

    /** Records use at {@code seenAt}. @return whether the session still existed */
    boolean touch(String idDigest, Instant seenAt);

    /** @return whether there was one */
    boolean delete(String idDigest);

    /** Ends every session of {@code user} (a new password, say). @return how many */
    int deleteAllOf(UserId user);

    /** Removes the sessions last seen before {@code idleBefore} or created before {@code createdBefore}. */
    int deleteExpired(Instant idleBefore, Instant createdBefore);
}
