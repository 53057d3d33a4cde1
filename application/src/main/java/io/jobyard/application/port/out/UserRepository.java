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

    /** The users {@code search} lets through, newest (highest id) first, skipping {@code offset}. */
    List<User> search(UserSearch search, long offset, int limit);

    /** How many users {@code search} lets through. */
    long count(UserSearch search);

    /** {@link #search} by keyset: the users it lets through with id below {@code beforeId} (null: from the newest). */
    List<User> searchBefore(UserSearch search, UserId beforeId, int limit);

    long nextTokenId();

    AccessToken insertToken(AccessToken token);

    /** The token whose SHA-256 digest (hex) is {@code digest}. */
    Optional<AccessToken> findTokenByDigest(String digest);

    List<AccessToken> tokensOf(UserId user);

    /**
     * The token whose digest is {@code digest} with its owner (null when the owner is gone): what authenticating a
     * request needs, which every API request does, so stores answer it with one read.
     */
    default Optional<TokenWithOwner> findTokenWithOwner(String digest) {
        return findTokenByDigest(digest).map(token -> new TokenWithOwner(token, findById(token.userId()).orElse(null)));
    }

    /** @param owner null when the token's user no longer exists */
    record TokenWithOwner(AccessToken token, User owner) {
        public TokenWithOwner {
            java.util.Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Which users a listing shows; null or blank filters let everyone through.
     *
     * @param username   exactly this username, regardless of case
     * @param text       a case-insensitive part of the username or the name, or (with {@code matchEmail}) the whole
     *                   email address regardless of case
     * @param matchEmail whether {@code text} may match email addresses (only administrators search by email)
     * @param activeOnly only users whose state is active
     */
    record UserSearch(String username, String text, boolean matchEmail, boolean activeOnly) {
        public static final UserSearch EVERYONE = new UserSearch(null, null, false, false);

        public UserSearch {
            username = username == null || username.isBlank() ? null : username;
            text = text == null || text.isBlank() ? null : text;
        }
    }
}
