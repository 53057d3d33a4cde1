package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.UserRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.time.Instant;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Users (usernames unique regardless of case) and personal access tokens, of which only digests are stored. */
public final class JdbiUserRepository implements UserRepository {
    private static final String USER_COLUMNS = "id, username, name, email, admin, bot, state, created_at";
    private static final String TOKEN_COLUMNS = "id, user_id, name, digest, scopes, expires_at, revoked, created_at, "
            + "last_used_at, previous_token_id";

    private static final RowMapper<User> USER = (rs, ctx) -> user(rs, "");

    private static final RowMapper<AccessToken> TOKEN = (rs, ctx) -> new AccessToken(
            rs.getLong("id"),
            UserId.of(rs.getLong("user_id")),
            rs.getString("name"),
            rs.getString("digest"),
            ColumnCodecs.strings(rs.getString("scopes")).stream()
                    .map(scope -> TokenScope.fromWireName(scope).orElseThrow()).collect(Collectors.toSet()),
            Values.date(rs, "expires_at"),
            rs.getBoolean("revoked"),
            Values.instant(rs, "created_at"),
            Values.instant(rs, "last_used_at"),
            Values.nullableLong(rs, "previous_token_id"));

    /** A token joined with its owner, whose columns are prefixed with {@code owner_}. */
    private static final String TOKEN_WITH_OWNER = "SELECT " + Arrays.stream(TOKEN_COLUMNS.split(", "))
                    .map(column -> "t." + column).collect(Collectors.joining(", ")) + ", " + Arrays.stream(USER_COLUMNS.split(", "))
                    .map(column -> "u." + column + " AS owner_" + column).collect(Collectors.joining(", "))
            + " FROM personal_access_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.digest = :digest";

    private final Database database;

    JdbiUserRepository(Database database) {
        this.database = database;
    }

    @Override
    public UserId nextId() {
        return UserId.of(database.nextValue("user_id_seq"));
    }

    @Override
    public User insert(User user) {
        try {
            return database.inTransaction(handle -> {
                JdbiAccessVersions.bump(handle);
                bind(handle.createUpdate("INSERT INTO users (" + USER_COLUMNS + ", username_lower) VALUES (:id, "
                        + ":username, :name, :email, :admin, :bot, :state, :created_at, :username_lower)"), user)
                        .execute();
                return stored(user);
            });
        } catch (ConflictException e) {
            throw new ConflictException("Username " + user.username() + " has already been taken");
        }
    }

    @Override
    public User update(User user) {
        int rows;
        try {
            rows = database.inTransaction(handle -> {
                JdbiAccessVersions.bump(handle);
                return bind(handle.createUpdate("UPDATE users SET username = :username, "
                        + "username_lower = :username_lower, name = :name, email = :email, admin = :admin, "
                        + "bot = :bot, state = :state WHERE id = :id"), user).execute();
            });
        } catch (ConflictException e) {
            throw new ConflictException("Username " + user.username() + " has already been taken");
        }
        if (rows == 0) {
            throw NotFoundException.resource("User");
        }
        return stored(user);
    }

    @Override
    public Optional<User> findById(UserId id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id.value()).map(USER).findOne());
    }

    @Override
    public Map<UserId, User> findByIds(Collection<UserId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Long> values = ids.stream().map(UserId::value).distinct().toList();
        List<User> found = database.withHandle(handle -> handle.createQuery("SELECT " + USER_COLUMNS
                        + " FROM users WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", values).map(USER).list());
        Map<UserId, User> byId = new LinkedHashMap<>();
        found.forEach(user -> byId.put(user.id(), user));
        return byId;
    }

    @Override
    public Optional<User> findByUsername(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return database.withHandle(handle -> handle.createQuery("SELECT " + USER_COLUMNS
                        + " FROM users WHERE username_lower = :username")
                .bind("username", username.toLowerCase(Locale.ROOT)).map(USER).findOne());
    }

    @Override
    public List<User> list(long offset, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + USER_COLUMNS
                        + " FROM users ORDER BY id" + Paging.limitOffset(limit, offset))
                .map(USER).list());
    }

    @Override
    public long count() {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    @Override
    public List<User> search(UserSearch search, long offset, int limit) {
        return database.withHandle(handle -> bind(handle.createQuery("SELECT " + USER_COLUMNS + " FROM users"
                        + where(search) + " ORDER BY id DESC" + Paging.limitOffset(limit, offset)), search)
                .map(USER).list());
    }

    /** The primary key walked backwards from the position: a page costs the same at any depth. */
    @Override
    public List<User> searchBefore(UserSearch search, UserId beforeId, int limit) {
        String where = where(search);
        String position = beforeId == null ? "" : (where.isEmpty() ? " WHERE" : " AND") + " id < :before";
        return database.withHandle(handle -> {
            Query query = bind(handle.createQuery("SELECT " + USER_COLUMNS + " FROM users" + where + position
                    + " ORDER BY id DESC" + Paging.limit(limit)), search);
            if (beforeId != null) {
                query.bind("before", beforeId.value());
            }
            return query.map(USER).list();
        });
    }

    @Override
    public long count(UserSearch search) {
        return database.withHandle(handle -> bind(handle.createQuery("SELECT COUNT(*) FROM users" + where(search)),
                search).mapTo(Long.class).one());
    }

    private static String where(UserSearch search) {
        List<String> conditions = new ArrayList<>();
        if (search.username() != null) {
            conditions.add("username_lower = :username");
        }
        if (search.activeOnly()) {
            conditions.add("state = 'active'");
        }
        if (search.text() != null) {
            conditions.add("(username_lower LIKE :pattern" + LikePatterns.ESCAPE + " OR LOWER(name) LIKE :pattern"
                    + LikePatterns.ESCAPE + (search.matchEmail() ? " OR LOWER(email) = :text" : "") + ")");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static Query bind(Query query, UserSearch search) {
        if (search.username() != null) {
            query.bind("username", search.username().toLowerCase(Locale.ROOT));
        }
        if (search.text() != null) {
            query.bind("pattern", LikePatterns.containing(search.text()));
            if (search.matchEmail()) {
                query.bind("text", search.text().toLowerCase(Locale.ROOT));
            }
        }
        return query;
    }

    @Override
    public boolean delete(UserId id) {
        return database.inTransaction(handle -> {
            JdbiAccessVersions.bump(handle);
            handle.createUpdate("DELETE FROM personal_access_tokens WHERE user_id = :id").bind("id", id.value())
                    .execute();
            return handle.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id.value()).execute() > 0;
        });
    }

    @Override
    public long nextTokenId() {
        return database.nextValue("access_token_id_seq");
    }

    @Override
    public AccessToken insertToken(AccessToken token) {
        return database.inTransaction(handle -> {
            JdbiAccessVersions.bump(handle);
            handle.createUpdate("INSERT INTO personal_access_tokens (" + TOKEN_COLUMNS + ") VALUES (:id, :user_id, "
                            + ":name, :digest, :scopes, :expires_at, :revoked, :created_at, :last_used_at, "
                            + ":previous_token_id)")
                    .bind("id", token.id())
                    .bind("user_id", token.userId().value())
                    .bind("name", token.name())
                    .bind("digest", token.digest())
                    .bind("scopes", ColumnCodecs.strings(token.scopes().stream().map(TokenScope::wireName).sorted()
                            .toList()))
                    .bind("expires_at", Values.date(token.expiresAt()))
                    .bind("revoked", token.revoked())
                    .bind("created_at", Values.instant(token.createdAt()))
                    .bind("last_used_at", Values.instant(token.lastUsedAt()))
                    .bind("previous_token_id", token.previousTokenId())
                    .execute();
            return new AccessToken(token.id(), token.userId(), token.name(), token.digest(), token.scopes(),
                    token.expiresAt(), token.revoked(), Values.stored(token.createdAt()),
                    token.lastUsedAt() == null ? null : Values.stored(token.lastUsedAt()), token.previousTokenId());
        });
    }

    @Override
    public Optional<TokenWithOwner> findTokenWithOwner(String digest) {
        if (digest == null) {
            return Optional.empty();
        }
        return database.withHandle(handle -> handle.createQuery(TOKEN_WITH_OWNER).bind("digest", digest)
                .map((rs, ctx) -> new TokenWithOwner(TOKEN.map(rs, ctx),
                        rs.getObject("owner_id") == null ? null : user(rs, "owner_")))
                .findOne())
                .filter(found -> Digests.equal(found.token().digest(), digest));
    }

    @Override
    public Optional<AccessToken> findTokenByDigest(String digest) {
        if (digest == null) {
            return Optional.empty();
        }
        return database.withHandle(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM personal_access_tokens WHERE digest = :digest")
                .bind("digest", digest).map(TOKEN).findOne())
                .filter(token -> Digests.equal(token.digest(), digest));
    }

    @Override
    public List<AccessToken> tokensOf(UserId user) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM personal_access_tokens WHERE user_id = :user ORDER BY id")
                .bind("user", user.value()).map(TOKEN).list());
    }

    @Override
    public Optional<AccessToken> findTokenById(long id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM personal_access_tokens WHERE id = :id")
                .bind("id", id).map(TOKEN).findOne());
    }

    @Override
    public boolean revokeToken(long id) {
        return database.inTransaction(handle -> {
            JdbiAccessVersions.bump(handle);
            return handle.createUpdate("UPDATE personal_access_tokens SET revoked = TRUE "
                    + "WHERE id = :id AND revoked = FALSE").bind("id", id).execute();
        }) > 0;
    }

    @Override
    public void recordTokenUse(long id, Instant at, Instant notBefore) {
        database.withHandle(handle -> handle.createUpdate("UPDATE personal_access_tokens SET last_used_at = :at "
                        + "WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :not_before)")
                .bind("id", id).bind("at", Values.instant(at)).bind("not_before", Values.instant(notBefore))
                .execute());
    }

    @Override
    public List<AccessToken> tokensRotatedFrom(long id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM personal_access_tokens WHERE previous_token_id = :id ORDER BY id")
                .bind("id", id).map(TOKEN).list());
    }

    @Override
    public List<AccessToken> searchTokens(TokenSearch search, long offset, int limit) {
        return database.withHandle(handle -> bind(handle.createQuery("SELECT " + TOKEN_COLUMNS
                        + " FROM personal_access_tokens" + where(search) + orderBy(search.order())
                        + Paging.limitOffset(limit, offset)), search)
                .map(TOKEN).list());
    }

    @Override
    public List<AccessToken> searchTokensAfter(TokenSearch search, Long afterId, int limit) {
        if (!search.order().byId()) {
            throw new IllegalArgumentException("keyset pages of tokens are ordered by id, not " + search.order());
        }
        String where = where(search);
        String position = afterId == null ? ""
                : (where.isEmpty() ? " WHERE" : " AND") + (search.order() == TokenOrder.ID_ASC ? " id > :after"
                        : " id < :after");
        return database.withHandle(handle -> {
            Query query = bind(handle.createQuery("SELECT " + TOKEN_COLUMNS + " FROM personal_access_tokens" + where
                    + position + orderBy(search.order()) + Paging.limit(limit)), search);
            if (afterId != null) {
                query.bind("after", afterId.longValue());
            }
            return query.map(TOKEN).list();
        });
    }

    @Override
    public long countTokens(TokenSearch search) {
        return database.withHandle(handle -> bind(handle.createQuery("SELECT COUNT(*) FROM personal_access_tokens"
                + where(search)), search).mapTo(Long.class).one());
    }

    private static String where(TokenSearch search) {
        List<String> conditions = new ArrayList<>();
        if (search.user() != null) {
            conditions.add("user_id = :user");
        }
        if (search.state() == TokenState.ACTIVE) {
            conditions.add("revoked = FALSE AND (expires_at IS NULL OR expires_at > :today)");
        } else if (search.state() == TokenState.INACTIVE) {
            conditions.add("(revoked = TRUE OR expires_at <= :today)");
        }
        if (search.revoked() != null) {
            conditions.add("revoked = :revoked");
        }
        if (search.createdBefore() != null) {
            conditions.add("created_at <= :created_before");
        }
        if (search.createdAfter() != null) {
            conditions.add("created_at >= :created_after");
        }
        if (search.lastUsedBefore() != null) {
            conditions.add("last_used_at <= :last_used_before");
        }
        if (search.lastUsedAfter() != null) {
            conditions.add("last_used_at >= :last_used_after");
        }
        if (search.expiresBefore() != null) {
            conditions.add("expires_at < :expires_before");
        }
        if (search.expiresAfter() != null) {
            conditions.add("expires_at >= :expires_after");
        }
        if (search.name() != null) {
            conditions.add(search.name().length() >= 3 ? "LOWER(name) LIKE :pattern" + LikePatterns.ESCAPE
                    : "name = :name");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Both databases told where NULLs go, as PostgreSQL (GitLab's) puts them by default. */
    private static String orderBy(TokenOrder order) {
        return " ORDER BY " + switch (order) {
            case ID_ASC -> "id";
            case ID_DESC -> "id DESC";
            case CREATED_ASC -> "created_at, id";
            case CREATED_DESC -> "created_at DESC, id DESC";
            case NAME_ASC -> "LOWER(name), id";
            case NAME_DESC -> "LOWER(name) DESC, id DESC";
            case EXPIRES_ASC -> "expires_at NULLS LAST, id DESC";
            case EXPIRES_DESC -> "expires_at DESC NULLS FIRST, id DESC";
            case LAST_USED_ASC -> "last_used_at NULLS LAST, id DESC";
            case LAST_USED_DESC -> "last_used_at DESC NULLS FIRST, id DESC";
        };
    }

    private static Query bind(Query query, TokenSearch search) {
        if (search.state() != null) {
            query.bind("today", Values.date(search.today()));
        }
        if (search.user() != null) {
            query.bind("user", search.user().value());
        }
        if (search.revoked() != null) {
            query.bind("revoked", search.revoked());
        }
        bindInstant(query, "created_before", search.createdBefore());
        bindInstant(query, "created_after", search.createdAfter());
        bindInstant(query, "last_used_before", search.lastUsedBefore());
        bindInstant(query, "last_used_after", search.lastUsedAfter());
        if (search.expiresBefore() != null) {
            query.bind("expires_before", Values.date(search.expiresBefore()));
        }
        if (search.expiresAfter() != null) {
            query.bind("expires_after", Values.date(search.expiresAfter()));
        }
        if (search.name() != null) {
            if (search.name().length() >= 3) {
                query.bind("pattern", LikePatterns.containing(search.name()));
            } else {
                query.bind("name", search.name());
            }
        }
        return query;
    }

    private static void bindInstant(Query query, String name, Instant value) {
        if (value != null) {
            query.bind(name, Values.instant(value));
        }
    }

    private static User user(ResultSet rs, String prefix) throws SQLException {
        return new User(
                UserId.of(rs.getLong(prefix + "id")),
                rs.getString(prefix + "username"),
                rs.getString(prefix + "name"),
                rs.getString(prefix + "email"),
                rs.getBoolean(prefix + "admin"),
                rs.getBoolean(prefix + "bot"),
                UserState.valueOf(rs.getString(prefix + "state").toUpperCase(Locale.ROOT)),
                Values.instant(rs, prefix + "created_at"));
    }

    private static <S extends SqlStatement<S>> S bind(S statement, User user) {
        return statement
                .bind("id", user.id().value())
                .bind("username", user.username())
                .bind("username_lower", user.username().toLowerCase(Locale.ROOT))
                .bind("name", user.name())
                .bind("email", user.email())
                .bind("admin", user.admin())
                .bind("bot", user.bot())
                .bind("state", user.state().wireName())
                .bind("created_at", Values.instant(user.createdAt()));
    }

    private static User stored(User u) {
        return new User(u.id(), u.username(), u.name(), u.email(), u.admin(), u.bot(), u.state(),
                Values.stored(u.createdAt()));
    }
}
