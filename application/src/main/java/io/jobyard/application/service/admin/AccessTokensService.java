package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository.TokenSearch;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotAllowedException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.error.UnprocessableException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenLifetime;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * GitLab's token lifecycle. Who may see and touch a token follows GitLab's abilities: its owner and administrators
 * ({@code read_user_personal_access_tokens}, {@code revoke_token}, {@code manage_user_personal_access_token}); a
 * stranger learns whether a token exists only where GitLab tells it (revoking answers 404 before it checks who asks,
 * reading and rotating answer a non-administrator 401 either way). Revocation is a conditional update, so of two
 * rotations of one token racing on two instances exactly one succeeds; the other is told the token is revoked.
 */
public final class AccessTokensService implements AccessTokensUseCase {
    /** GitLab's prefix for personal access tokens; secret scanners recognise it. */
    public static final String TOKEN_PREFIX = TokenIssuer.PREFIX;

    /** GitLab's answer to {@code pagination=keyset} where a listing has no keyset order. */
    static final String KEYSET_UNSUPPORTED = "Keyset pagination is not yet available for this type of request";
    static final String TOKEN_ALREADY_REVOKED = "Token already revoked";
    static final String PERSONAL_ACCESS_TOKEN_REQUIRED = "This endpoint requires token type to be a personal access "
            + "token";
    /** GitLab allows only this scope on a token a user creates for themself (gitlab-org/gitlab#425171). */
    static final Set<TokenScope> SELF_SERVICE_SCOPES = Set.of(TokenScope.K8S_PROXY);

    private final UserRepository users;
    private final Transactor transactor;
    private final Clock clock;
    private final TokenLifetime lifetime;
    private final TokenIssuer issuer;

    public AccessTokensService(UserRepository users, Transactor transactor, Clock clock, TokenLifetime lifetime) {
        this.users = Objects.requireNonNull(users, "users");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.issuer = new TokenIssuer(users);
    }

    /**
     * GitLab's {@code POST /users/:user_id/personal_access_tokens}: administrators only ({@code authenticated_as_admin!}),
     * since GitLab 13.6; before that any user could mint {@code api} tokens for themself, which made a leaked token
     * a permanent one. Without {@code expires_at} the token lives as long as {@link TokenLifetime} allows.
     */
    @Override
    public IssuedToken createForUser(Actor actor, UserId user, String name, Set<TokenScope> scopes, LocalDate expiresAt) {
        ActorChecks.requireWriter(actor);
        if (!actor.isAdmin()) {
            throw new ForbiddenException();
        }
        User owner = users.findById(user).orElseThrow(() -> NotFoundException.resource("User"));
        if (name == null || name.isBlank()) {
            throw new BadRequestException("name is missing");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new BadRequestException("scopes is missing");
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (expiresAt != null && !expiresAt.isAfter(today)) {
            throw new BadRequestException("expires_at must be in the future");
        }
        LocalDate expiry = expiresAt != null ? expiresAt : lifetime.defaultExpiry(today);
        lifetime.refusal(expiry, today).ifPresent(refusal -> {
            throw new UnprocessableException(refusal);
        });
        return transactor.inTransaction(() -> issuer.issue(owner, name, scopes, expiry, now, null));
    }

    @Override
    public IssuedToken createForSelf(Actor actor, String name, Set<TokenScope> scopes, LocalDate expiresAt) {
        UserId self = ActorChecks.requireWriter(actor);
        if (name == null || name.isBlank()) {
            throw new InvalidParameterException("name is missing");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new InvalidParameterException("scopes is missing");
        }
        if (!SELF_SERVICE_SCOPES.containsAll(scopes)) {
            throw new InvalidParameterException("scopes does not have a valid value");
        }
        Instant now = clock.instant();
        LocalDate today = today(now);
        // Grape's default for this route: the token expires tomorrow.
        LocalDate expiry = expiresAt != null ? expiresAt : today.plusDays(1);
        lifetime.refusal(expiry, today).ifPresent(refusal -> {
            throw new UnprocessableException(refusal);
        });
        User owner = users.findById(self).orElseThrow(() -> new UnauthorizedException("401 Unauthorized"));
        return transactor.inTransaction(() -> issuer.issue(owner, name, scopes, expiry, now, null));
    }

    @Override
    public ListPage<AccessToken> list(Actor actor, TokenFilter filter, Pagination.Offset page) {
        TokenSearch search = tokenSearch(actor, filter);
        return transactor.reading(() -> new ListPage<>(users.searchTokens(search, page.offset(), page.perPage()),
                users.countTokens(search), page));
    }

    @Override
    public KeysetPage<AccessToken> list(Actor actor, TokenFilter filter, Pagination.Keyset page) {
        TokenSearch search = tokenSearch(actor, filter);
        if (!search.order().byId()) {
            throw new NotAllowedException(KEYSET_UNSUPPORTED);
        }
        Long afterId = page.after() == null ? null : page.after().id();
        return KeysetPage.of(users.searchTokensAfter(search, afterId, page.perPage() + 1), page.perPage());
    }

    /** Whose tokens a listing may show (GitLab's {@code restrict_non_admins!}) and the filters asked for. */
    private TokenSearch tokenSearch(Actor actor, TokenFilter filter) {
        Objects.requireNonNull(filter, "filter");
        User caller = signedIn(actor);
        UserId owner;
        if (caller.admin()) {
            owner = filter.userIdGiven() ? existingUser(filter.userId()) : null;
        } else {
            // GitLab's restrict_non_admins!: naming anyone but oneself is 401; the listing is always one's own.
            if (filter.userId() != null && filter.userId() != caller.id().value()) {
                throw new UnauthorizedException("401 Unauthorized");
            }
            owner = caller.id();
        }
        return new TokenSearch(owner, filter.state(), filter.revoked(), filter.createdBefore(),
                filter.createdAfter(), filter.lastUsedBefore(), filter.lastUsedAfter(), filter.expiresBefore(),
                filter.expiresAfter(), filter.search(), filter.sort(), today(clock.instant()));
    }

    /** An administrator's {@code user_id}: one that names nobody (or is empty) is GitLab's plain 404. */
    private UserId existingUser(Long id) {
        return Optional.ofNullable(id).filter(value -> value > 0).map(UserId::of).flatMap(users::findById)
                .map(User::id).orElseThrow(() -> NotFoundException.record("User"));
    }

    @Override
    public AccessToken get(Actor actor, long id) {
        return ownOrAdministered(signedIn(actor), id);
    }

    @Override
    public AccessToken getSelf(Actor actor) {
        return users.findTokenById(selfTokenId(actor, () -> new BadRequestException(PERSONAL_ACCESS_TOKEN_REQUIRED)))
                .orElseThrow(() -> new UnauthorizedException("401 Unauthorized"));
    }

    @Override
    public void revoke(Actor actor, long id) {
        User caller = signedIn(actor);
        AccessToken token = users.findTokenById(id).orElseThrow(() -> NotFoundException.record("Token"));
        if (!caller.admin() && !token.userId().equals(caller.id())) {
            // RevokeService's "Not permitted to revoke" becomes the API's bare bad_request!.
            throw new BadRequestException(null);
        }
        users.revokeToken(token.id());
    }

    @Override
    public void revokeSelf(Actor actor) {
        users.revokeToken(selfTokenId(actor, () -> new BadRequestException(PERSONAL_ACCESS_TOKEN_REQUIRED)));
    }

    @Override
    public IssuedToken rotate(Actor actor, long id, LocalDate expiresAt) {
        ActorChecks.requireWriter(actor);
        return rotate(ownOrAdministered(signedIn(actor), id), expiresAt);
    }

    @Override
    public IssuedToken rotateSelf(Actor actor, LocalDate expiresAt) {
        long id = selfTokenId(actor, () -> new NotAllowedException("405 Method Not Allowed"));
        return rotate(users.findTokenById(id).orElseThrow(() -> new UnauthorizedException("401 Unauthorized")),
                expiresAt);
    }

    /**
     * GitLab's {@code RotateService}: in one transaction the token is revoked and its successor issued with the same
     * name and scopes, remembering what it replaced. Refusals are the API's {@code bad_request!(message)}.
     */
    private IssuedToken rotate(AccessToken token, LocalDate expiresAt) {
        if (token.revoked()) {
            throw new BadRequestException(TOKEN_ALREADY_REVOKED);
        }
        Instant now = clock.instant();
        LocalDate today = today(now);
        LocalDate expiry = expiresAt != null ? expiresAt : lifetime.rotationExpiry(today);
        lifetime.refusal(expiry, today).ifPresent(refusal -> {
            throw new BadRequestException(refusal);
        });
        User owner = users.findById(token.userId()).orElseThrow(() -> NotFoundException.record("User"));
        return transactor.inTransaction(() -> {
            if (!users.revokeToken(token.id())) {
                throw new BadRequestException(TOKEN_ALREADY_REVOKED);
            }
            return issuer.issue(owner, token.name(), token.scopes(), expiry, now, token.id());
        });
    }

    /** The token if the caller owns it or administers; else 404 for administrators, 401 for everyone else. */
    private AccessToken ownOrAdministered(User caller, long id) {
        Optional<AccessToken> token = users.findTokenById(id);
        if (token.isPresent() && (caller.admin() || token.get().userId().equals(caller.id()))) {
            return token.get();
        }
        // "Only admins should be informed if the token doesn't exist."
        if (caller.admin()) {
            throw NotFoundException.record("Token");
        }
        throw new UnauthorizedException("401 Unauthorized");
    }

    private static long selfTokenId(Actor actor, Supplier<RuntimeException> notAToken) {
        signedIn(actor);
        if (actor instanceof Actor.UserActor user && user.tokenId() != null) {
            return user.tokenId();
        }
        throw notAToken.get();
    }

    private static User signedIn(Actor actor) {
        return actor.user().orElseThrow(() -> new UnauthorizedException("401 Unauthorized"));
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }
}
