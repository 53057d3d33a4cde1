package io.jobyard.application.port.out;

import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users and their personal access tokens (stored as digests only). */
public interface UserRepository {

    UserId nextId();

    /** @throws io.jobyard.domain.error.ConflictException when the username is taken (case-insensitively) */
    User insert(User user);

    User update(User user);

    Optional<User> findById(UserId id);

    /** One query for many users, for listing pages without N+1. */
    Map<UserId, User> findByIds(Collection<UserId> ids);

    Optional<User> findByUsername(String username);

    /** Users ordered by id ascending. */
    List<User> list(long offset, int limit);

    long count();

    long nextTokenId();

    AccessToken insertToken(AccessToken token);

    /** The token whose SHA-256 digest (hex) is {@code digest}. */
    Optional<AccessToken> findTokenByDigest(String digest);

    List<AccessToken> tokensOf(UserId user);
}
