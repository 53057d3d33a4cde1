package io.jobyard.application.memory;

import io.jobyard.application.port.out.UserRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Users and their access tokens in memory; thread-safe, transactional with its {@link InMemoryTransactor}. */
public final class InMemoryUserRepository implements UserRepository {
    private final InMemoryTransactor transactor;
    private final AtomicLong userIds = new AtomicLong();
    private final AtomicLong tokenIds = new AtomicLong();
    private final Rows<UserId, User> users;
    private final Rows<Long, AccessToken> tokens;

    public InMemoryUserRepository() {
        this(new InMemoryTransactor());
    }

    public InMemoryUserRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.users = new Rows<>(transactor, Comparator.naturalOrder());
        this.tokens = new Rows<>(transactor, Comparator.naturalOrder());
    }

    @Override
    public UserId nextId() {
        return UserId.of(userIds.incrementAndGet());
    }

    @Override
    public User insert(User user) {
        Objects.requireNonNull(user, "user");
        return transactor.accessWrite(() -> {
            if (users.contains(user.id())) {
                throw new ConflictException("user " + user.id() + " already exists");
            }
            requireFreeUsername(user);
            users.put(user.id(), user);
            return user;
        });
    }

    @Override
    public User update(User user) {
        Objects.requireNonNull(user, "user");
        return transactor.accessWrite(() -> {
            if (!users.contains(user.id())) {
                throw NotFoundException.record("User");
            }
            requireFreeUsername(user);
            users.put(user.id(), user);
            return user;
        });
    }

    private void requireFreeUsername(User user) {
        String name = normalized(user.username());
        if (users.all().stream().anyMatch(u -> !u.id().equals(user.id()) && normalized(u.username()).equals(name))) {
            throw new ConflictException("Username has already been taken");
        }
    }

    @Override
    public Optional<User> findById(UserId id) {
        return transactor.locked(() -> users.get(id));
    }

    @Override
    public Map<UserId, User> findByIds(Collection<UserId> ids) {
        return transactor.locked(() -> {
            Map<UserId, User> found = new LinkedHashMap<>();
            for (UserId id : ids) {
                users.get(id).ifPresent(u -> found.put(id, u));
            }
            return found;
        });
    }

    @Override
    public Optional<User> findByUsername(String username) {
        String wanted = normalized(username);
        return transactor.locked(() -> users.all().stream()
                .filter(u -> normalized(u.username()).equals(wanted))
                .findFirst());
    }

    @Override
    public List<User> list(long offset, int limit) {
        return transactor.locked(() -> Paging.page(users.all().stream(), offset, limit));
    }

    @Override
    public long count() {
        return transactor.locked(() -> (long) users.all().size());
    }

    @Override
    public List<User> search(UserSearch search, long offset, int limit) {
        return transactor.locked(() -> Paging.page(users.descending().stream().filter(u -> matches(search, u)),
                offset, limit));
    }

    @Override
    public List<User> searchBefore(UserSearch search, UserId beforeId, int limit) {
        return transactor.locked(() -> Paging.page(users.descending().stream()
                .filter(u -> beforeId == null || u.id().value() < beforeId.value())
                .filter(u -> matches(search, u)), 0, limit));
    }

    @Override
    public long count(UserSearch search) {
        return transactor.locked(() -> users.all().stream().filter(u -> matches(search, u)).count());
    }

    private static boolean matches(UserSearch search, User user) {
        if (search.username() != null && !normalized(user.username()).equals(normalized(search.username()))) {
            return false;
        }
        if (search.activeOnly() && !user.active()) {
            return false;
        }
        if (search.text() == null) {
            return true;
        }
        String text = normalized(search.text());
        return normalized(user.username()).contains(text) || normalized(user.name()).contains(text)
                || search.matchEmail() && user.email() != null && normalized(user.email()).equals(text);
    }

    @Override
    public boolean delete(UserId id) {
        return transactor.accessWrite(() -> {
            tokens.all().stream().filter(t -> t.userId().equals(id)).map(AccessToken::id).toList()
                    .forEach(tokens::remove);
            return users.remove(id);
        });
    }

    @Override
    public long nextTokenId() {
        return tokenIds.incrementAndGet();
    }

    @Override
    public AccessToken insertToken(AccessToken token) {
        Objects.requireNonNull(token, "token");
        return transactor.accessWrite(() -> {
            if (tokens.contains(token.id())) {
                throw new ConflictException("token " + token.id() + " already exists");
            }
            if (tokens.all().stream().anyMatch(t -> t.digest().equals(token.digest()))) {
                throw new ConflictException("a token with this digest already exists");
            }
            tokens.put(token.id(), token);
            return token;
        });
    }

    @Override
    public Optional<AccessToken> findTokenByDigest(String digest) {
        return transactor.locked(() -> tokens.all().stream().filter(t -> t.digest().equals(digest)).findFirst());
    }

    @Override
    public List<AccessToken> tokensOf(UserId user) {
        return transactor.locked(() -> tokens.all().stream().filter(t -> t.userId().equals(user)).toList());
    }

    @Override
    public Optional<AccessToken> findTokenById(long id) {
        return transactor.locked(() -> tokens.get(id));
    }

    @Override
    public boolean revokeToken(long id) {
        return transactor.accessWrite(() -> {
            Optional<AccessToken> token = tokens.get(id).filter(t -> !t.revoked());
            token.ifPresent(t -> tokens.put(id, t.revoke()));
            return token.isPresent();
        });
    }

    @Override
    public void recordTokenUse(long id, Instant at, Instant notBefore) {
        transactor.locked(() -> {
            tokens.get(id).filter(t -> t.lastUsedAt() == null || t.lastUsedAt().isBefore(notBefore))
                    .ifPresent(t -> tokens.put(id, t.usedAt(at)));
            return null;
        });
    }

    @Override
    public List<AccessToken> tokensRotatedFrom(long id) {
        return transactor.locked(() -> tokens.all().stream()
                .filter(t -> t.previousTokenId() != null && t.previousTokenId() == id).toList());
    }

    @Override
    public List<AccessToken> searchTokens(TokenSearch search, long offset, int limit) {
        return transactor.locked(() -> Paging.page(tokens.all().stream().filter(t -> matches(search, t))
                .sorted(order(search.order())), offset, limit));
    }

    @Override
    public List<AccessToken> searchTokensAfter(TokenSearch search, Long afterId, int limit) {
        if (!search.order().byId()) {
            throw new IllegalArgumentException("keyset pages of tokens are ordered by id, not " + search.order());
        }
        boolean ascending = search.order() == TokenOrder.ID_ASC;
        return transactor.locked(() -> tokens.all().stream().filter(t -> matches(search, t))
                .filter(t -> afterId == null || (ascending ? t.id() > afterId : t.id() < afterId))
                .sorted(order(search.order())).limit(limit).toList());
    }

    @Override
    public long countTokens(TokenSearch search) {
        return transactor.locked(() -> tokens.all().stream().filter(t -> matches(search, t)).count());
    }

    private static boolean matches(TokenSearch search, AccessToken token) {
        Instant startOfToday = search.today().atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        return (search.user() == null || token.userId().equals(search.user()))
                && (search.state() == null || token.active(startOfToday) == (search.state() == TokenState.ACTIVE))
                && (search.revoked() == null || token.revoked() == search.revoked())
                && (search.createdBefore() == null || !token.createdAt().isAfter(search.createdBefore()))
                && (search.createdAfter() == null || !token.createdAt().isBefore(search.createdAfter()))
                && (search.lastUsedBefore() == null
                        || token.lastUsedAt() != null && !token.lastUsedAt().isAfter(search.lastUsedBefore()))
                && (search.lastUsedAfter() == null
                        || token.lastUsedAt() != null && !token.lastUsedAt().isBefore(search.lastUsedAfter()))
                && (search.expiresBefore() == null
                        || token.expiresAt() != null && token.expiresAt().isBefore(search.expiresBefore()))
                && (search.expiresAfter() == null
                        || token.expiresAt() != null && !token.expiresAt().isBefore(search.expiresAfter()))
                && (search.name() == null || nameMatches(search.name(), token.name()));
    }

    private static boolean nameMatches(String text, String name) {
        return text.length() >= 3 ? normalized(name).contains(normalized(text)) : name.equals(text);
    }

    private static Comparator<AccessToken> order(TokenOrder order) {
        Comparator<AccessToken> byId = Comparator.comparingLong(AccessToken::id);
        Comparator<LocalDate> expiry = Comparator.nullsLast(Comparator.<LocalDate>naturalOrder());
        Comparator<Instant> used = Comparator.nullsLast(Comparator.<Instant>naturalOrder());
        return switch (order) {
            case ID_ASC -> byId;
            case ID_DESC -> byId.reversed();
            case CREATED_ASC -> Comparator.comparing(AccessToken::createdAt).thenComparing(byId);
            case CREATED_DESC -> Comparator.comparing(AccessToken::createdAt).thenComparing(byId).reversed();
            case NAME_ASC -> Comparator.comparing((AccessToken t) -> normalized(t.name())).thenComparing(byId);
            case NAME_DESC -> Comparator.comparing((AccessToken t) -> normalized(t.name())).thenComparing(byId)
                    .reversed();
            case EXPIRES_ASC -> Comparator.comparing(AccessToken::expiresAt, expiry).thenComparing(byId.reversed());
            case EXPIRES_DESC -> Comparator.comparing(AccessToken::expiresAt, expiry.reversed())
                    .thenComparing(byId.reversed());
            case LAST_USED_ASC -> Comparator.comparing(AccessToken::lastUsedAt, used).thenComparing(byId.reversed());
            case LAST_USED_DESC -> Comparator.comparing(AccessToken::lastUsedAt, used.reversed())
                    .thenComparing(byId.reversed());
        };
    }

    private static String normalized(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
