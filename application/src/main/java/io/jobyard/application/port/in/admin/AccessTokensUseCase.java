package io.jobyard.application.port.in.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.out.UserRepository.TokenOrder;
import io.jobyard.application.port.out.UserRepository.TokenState;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * Personal access tokens: an administrator creates them for a user ({@code POST /users/:user_id/personal_access_tokens}),
 * and their life after that is as GitLab's token API has it
 * ({@code lib/api/personal_access_tokens.rb}, {@code personal_access_tokens/self_*.rb}, {@code POST
 * /user/personal_access_tokens}): listing and reading (a user their own tokens, an administrator everyone's),
 * revoking, rotating (revoke and replace in one step), and the narrow self-service token. A token that is "self" is
 * the one that authenticated the request.
 */
public interface AccessTokensUseCase {

    /**
     * Creates a personal access token for {@code user}: administrators only. Without {@code expiresAt} it expires
     * as late as the configured lifetime allows (GitLab: 365 days).
     *
     * @return the stored token and, once only, its secret
     * @throws io.jobyard.domain.error.UnprocessableException "Expires at must be before &lt;date&gt;"
     */
    IssuedToken createForUser(Actor actor, UserId user, String name, Set<TokenScope> scopes, LocalDate expiresAt);

    /**
     * {@code POST /user/personal_access_tokens}: a token for the caller themself, limited to {@code k8s_proxy} (GitLab
     * allows nothing else here, so a leaked {@code api} token cannot mint more of its kind). Without
     * {@code expiresAt} it expires tomorrow.
     *
     * @throws io.jobyard.domain.error.InvalidParameterException "scopes does not have a valid value"
     * @throws io.jobyard.domain.error.UnprocessableException    "Expires at must be before &lt;date&gt;"
     */
    IssuedToken createForSelf(Actor actor, String name, Set<TokenScope> scopes, LocalDate expiresAt);

    /**
     * {@code GET /personal_access_tokens}: a user's own tokens; an administrator's listing covers every user's, or
     * one user's with {@code user_id}.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException a non-administrator naming another user
     * @throws io.jobyard.domain.error.NotFoundException     an administrator naming nobody ("404 Not found")
     */
    ListPage<AccessToken> list(Actor actor, TokenFilter filter, Pagination.Offset page);

    /**
     * {@link #list(Actor, TokenFilter, Pagination.Offset)} by keyset (Jobyard's: GitLab pages tokens by offset only),
     * after the cursor's token id, in the orders by id ({@code id_asc}, the default, and {@code id_desc}).
     *
     * @throws io.jobyard.domain.error.NotAllowedException another order: GitLab's "Keyset pagination is not yet
     *                                                     available for this type of request"
     */
    KeysetPage<AccessToken> list(Actor actor, TokenFilter filter, Pagination.Keyset page);

    /**
     * {@code GET /personal_access_tokens/:id}.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException someone else's token, or none, for a non-administrator
     * @throws io.jobyard.domain.error.NotFoundException     no such token, for an administrator
     */
    AccessToken get(Actor actor, long id);

    /**
     * {@code GET /personal_access_tokens/self}, for a token of any scope.
     *
     * @throws io.jobyard.domain.error.BadRequestException not authenticated by a personal access token
     */
    AccessToken getSelf(Actor actor);

    /**
     * {@code DELETE /personal_access_tokens/:id}: the owner or an administrator revokes it; it stops authenticating
     * with the next request, on every instance.
     *
     * @throws io.jobyard.domain.error.NotFoundException   no such token ("404 Not found")
     * @throws io.jobyard.domain.error.BadRequestException someone else's token, for a non-administrator
     */
    void revoke(Actor actor, long id);

    /** {@code DELETE /personal_access_tokens/self}. */
    void revokeSelf(Actor actor);

    /**
     * {@code POST /personal_access_tokens/:id/rotate}: revokes the token and issues its successor with the same name
     * and scopes, expiring on {@code expiresAt} or, without one, in a week.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException someone else's token, or none, for a non-administrator
     * @throws io.jobyard.domain.error.NotFoundException     no such token, for an administrator
     * @throws io.jobyard.domain.error.BadRequestException   "Token already revoked", "Expires at must be before ..."
     */
    IssuedToken rotate(Actor actor, long id, LocalDate expiresAt);

    /**
     * {@code POST /personal_access_tokens/self/rotate}.
     *
     * @throws io.jobyard.domain.error.NotAllowedException not authenticated by a personal access token
     */
    IssuedToken rotateSelf(Actor actor, LocalDate expiresAt);

    /**
     * GitLab's filters of the token listing; null filters nothing.
     *
     * @param userId      {@code user_id} as given (any integer), or null when absent
     * @param userIdBlank {@code user_id} was given empty
     */
    record TokenFilter(Long userId, boolean userIdBlank, TokenState state, Boolean revoked, Instant createdBefore,
                       Instant createdAfter, Instant lastUsedBefore, Instant lastUsedAfter, LocalDate expiresBefore,
                       LocalDate expiresAfter, String search, TokenOrder sort) {
        public static final TokenFilter NONE = new TokenFilter(null, false, null, null, null, null, null, null, null,
                null, null, TokenOrder.ID_ASC);

        public TokenFilter {
            Objects.requireNonNull(sort, "sort");
        }

        public boolean userIdGiven() {
            return userId != null || userIdBlank;
        }
    }

    /** A token as created: {@code secret} is shown this once and never stored. */
    record IssuedToken(AccessToken token, String secret) {
        @Override
        public String toString() {
            return "IssuedToken[" + token.id() + "]";
        }
    }
}
