package io.jobyard.application.port.out;

import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.time.LocalDate;
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

    /**
     * Deletes the user with their tokens (what else names them — memberships — is removed by its own repository first).
     *
     * @return whether the user existed
     */
    boolean delete(UserId id);

    long nextTokenId();

    AccessToken insertToken(AccessToken token);

    /** The token whose SHA-256 digest (hex) is {@code digest}. */
    Optional<AccessToken> findTokenByDigest(String digest);

    List<AccessToken> tokensOf(UserId user);

    Optional<AccessToken> findTokenById(long id);

    /**
     * Revokes the token, once: of two concurrent revocations (two rotations of one token, say) only one changes it.
     *
     * @return whether this call revoked it (false when it was revoked already, or does not exist)
     */
    boolean revokeToken(long id);

    /**
     * Records that the token authenticated a request at {@code at}, unless a use at {@code notBefore} or later is
     * recorded already (GitLab keeps {@code last_used_at} to ten minutes, so a busy token costs a write at most that
     * often).
     */
    void recordTokenUse(long id, Instant at, Instant notBefore);

    /** The tokens rotation made from token {@code id} (its successors; one, unless rotations raced). */
    List<AccessToken> tokensRotatedFrom(long id);

    /** The tokens {@code search} lets through, in its order, skipping {@code offset}. */
    List<AccessToken> searchTokens(TokenSearch search, long offset, int limit);

    /** How many tokens {@code search} lets through. */
    long countTokens(TokenSearch search);

    /**
     * A keyset page of the tokens {@code search} lets through: those after the token {@code afterId} in the search's
     * order, which must be by id ({@link TokenOrder#byId}); null starts at the beginning.
     *
     * @throws IllegalArgumentException when the search is not ordered by id
     */
    List<AccessToken> searchTokensAfter(TokenSearch search, Long afterId, int limit);

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
     * Which personal access tokens a listing shows, GitLab's {@code PersonalAccessTokensFinder} filters; null lets
     * everything through.
     *
     * @param user           only this user's tokens
     * @param state          {@code ACTIVE}: neither revoked nor expired on {@code today}; {@code INACTIVE}: the rest
     * @param revoked        only revoked (true) or only unrevoked (false) tokens
     * @param createdBefore  created at or before
     * @param createdAfter   created at or after
     * @param lastUsedBefore last used at or before (never used tokens are left out)
     * @param lastUsedAfter  last used at or after
     * @param expiresBefore  expiring before this date (tokens without expiry are left out)
     * @param expiresAfter   expiring on or after this date
     * @param name           GitLab's fuzzy search of names: three characters or more match any part of a name
     *                       regardless of case, shorter text the whole name exactly
     * @param order          the order of the listing
     * @param today          the date (UTC) {@code state} is judged on: a token expires at the start of its date
     */
    record TokenSearch(UserId user, TokenState state, Boolean revoked, Instant createdBefore, Instant createdAfter,
                       Instant lastUsedBefore, Instant lastUsedAfter, LocalDate expiresBefore, LocalDate expiresAfter,
                       String name, TokenOrder order, LocalDate today) {
        public TokenSearch {
            java.util.Objects.requireNonNull(order, "order");
            java.util.Objects.requireNonNull(today, "today");
            name = name == null || name.isEmpty() ? null : name;
        }

        /** Every token of {@code user} (or everyone's, for null), by id. */
        public static TokenSearch all(UserId user, LocalDate today) {
            return new TokenSearch(user, null, null, null, null, null, null, null, null, null, TokenOrder.ID_ASC,
                    today);
        }
    }

    /** GitLab's {@code state} filter of tokens. */
    enum TokenState { ACTIVE, INACTIVE }

    /**
     * GitLab's {@code sort} values for tokens. Ties and missing values are ordered as on GitLab's PostgreSQL: the
     * expiry and last-use orders break ties by descending id, a missing date counts as the latest.
     */
    enum TokenOrder {
        ID_ASC, ID_DESC, CREATED_ASC, CREATED_DESC, NAME_ASC, NAME_DESC, EXPIRES_ASC, EXPIRES_DESC, LAST_USED_ASC,
        LAST_USED_DESC;

        /** Whether this order is by id alone, the orders token listings page by keyset. */
        public boolean byId() {
            return this == ID_ASC || this == ID_DESC;
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
