package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.TokenFilter;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.out.UserRepository.TokenOrder;
import io.jobyard.application.port.out.UserRepository.TokenState;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.auth.AuthenticateService;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotAllowedException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.error.UnprocessableException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GitLab's token lifecycle: self-service tokens, listing, reading, revoking and rotating, with its refusals. */
class AccessTokensServiceTest {
    private static final Pagination.Offset FIRST_PAGE = new Pagination.Offset(1, 20);
    /** ServiceFixture.NOW is 2024-05-02T10:00Z. */
    private static final LocalDate TODAY = LocalDate.of(2024, 5, 2);

    private final ServiceFixture f = new ServiceFixture();

    private IssuedToken issued(User user, Set<TokenScope> scopes) {
        return f.accessTokens.createForUser(as(f.admin), user.id(), "token of " + user.username(), scopes, null);
    }

    /** The actor a request authenticated with {@code token} is. */
    private Actor by(IssuedToken token) {
        return f.authenticate.byAccessToken(token.secret());
    }

    private static void unauthorized(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(UnauthorizedException.class).hasMessage("401 Unauthorized");
    }

    private static void tokenNotFound(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NotFoundException.class,
                e -> assertThat(e.kind()).isEqualTo(NotFoundException.Kind.RECORD));
    }

    // --------------------------------------------------------------------------------------------- self-service

    @Test
    void aUserMayGiveThemselfOnlyAK8sProxyTokenThatExpiresTomorrow() {
        IssuedToken own = issued(f.developer, Set.of(TokenScope.API));

        IssuedToken narrow = f.accessTokens.createForSelf(by(own), "agent", Set.of(TokenScope.K8S_PROXY), null);

        assertThat(narrow.token().userId()).isEqualTo(f.developer.id());
        assertThat(narrow.token().scopes()).containsExactly(TokenScope.K8S_PROXY);
        assertThat(narrow.token().expiresAt()).isEqualTo(TODAY.plusDays(1));
        assertThat(narrow.secret()).startsWith("glpat-");
        for (Set<TokenScope> wider : List.of(Set.of(TokenScope.API), Set.of(TokenScope.READ_API),
                Set.of(TokenScope.K8S_PROXY, TokenScope.SELF_ROTATE))) {
            assertThatThrownBy(() -> f.accessTokens.createForSelf(by(own), "more", wider, null))
                    .isInstanceOf(InvalidParameterException.class)
                    .hasMessage("scopes does not have a valid value");
        }
        assertThatThrownBy(() -> f.accessTokens.createForSelf(by(own), "late", Set.of(TokenScope.K8S_PROXY),
                TODAY.plusDays(366))).isInstanceOf(UnprocessableException.class)
                .hasMessage("Expires at must be before 2025-05-02");
        assertThat(f.repos.users().tokensOf(f.developer.id())).hasSize(2);
    }

    @Test
    void aReadOnlyOrNarrowTokenMintsNothing() {
        IssuedToken readOnly = issued(f.developer, Set.of(TokenScope.READ_API));
        Refusals.forbidden(() -> f.accessTokens.createForSelf(by(readOnly), "x", Set.of(TokenScope.K8S_PROXY), null));
        unauthorized(() -> f.accessTokens.createForSelf(Actor.ANONYMOUS, "x", Set.of(TokenScope.K8S_PROXY), null));
    }

    // -------------------------------------------------------------------------------------------- list and get

    @Test
    void aUserListsTheirOwnTokensAndAnAdministratorAnyonesOrEveryones() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken devReader = issued(f.developer, Set.of(TokenScope.READ_API));
        IssuedToken max = issued(f.maintainer, Set.of(TokenScope.API));
        IssuedToken root = issued(f.admin, Set.of(TokenScope.API));

        assertThat(ids(f.accessTokens.list(by(dev), TokenFilter.NONE, FIRST_PAGE)))
                .containsExactly(dev.token().id(), devReader.token().id());
        assertThat(ids(f.accessTokens.list(by(dev), filterByUser(f.developer.id().value()), FIRST_PAGE)))
                .containsExactly(dev.token().id(), devReader.token().id());
        unauthorized(() -> f.accessTokens.list(by(dev), filterByUser(f.maintainer.id().value()), FIRST_PAGE));
        ListPage<AccessToken> everyones = f.accessTokens.list(by(root), TokenFilter.NONE, FIRST_PAGE);
        assertThat(ids(everyones)).containsExactly(dev.token().id(), devReader.token().id(), max.token().id(),
                root.token().id());
        assertThat(everyones.total()).isEqualTo(4);
        assertThat(ids(f.accessTokens.list(by(root), filterByUser(f.maintainer.id().value()), FIRST_PAGE)))
                .containsExactly(max.token().id());
        tokenNotFound(() -> f.accessTokens.list(by(root), filterByUser(99_999L), FIRST_PAGE));
        tokenNotFound(() -> f.accessTokens.list(by(root), new TokenFilter(null, true, null, null, null, null, null,
                null, null, null, null, TokenOrder.ID_ASC), FIRST_PAGE));
    }

    @Test
    void theListingTakesGitLabsFilters() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken old = issued(f.developer, Set.of(TokenScope.READ_API));
        f.accessTokens.revoke(by(dev), old.token().id());

        TokenFilter active = new TokenFilter(null, false, TokenState.ACTIVE, null, null, null, null, null, null, null,
                null, TokenOrder.ID_DESC);
        TokenFilter revoked = new TokenFilter(null, false, null, true, null, null, null, null, null, null, null,
                TokenOrder.ID_ASC);
        assertThat(ids(f.accessTokens.list(by(dev), active, FIRST_PAGE))).containsExactly(dev.token().id());
        assertThat(ids(f.accessTokens.list(by(dev), revoked, FIRST_PAGE))).containsExactly(old.token().id());
    }

    @Test
    void aTokenIsReadByItsOwnerAndAnAdministratorOthersLearnNothing() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken max = issued(f.maintainer, Set.of(TokenScope.API));
        IssuedToken root = issued(f.admin, Set.of(TokenScope.API));

        assertThat(f.accessTokens.get(by(dev), dev.token().id()).digest()).isEqualTo(dev.token().digest());
        assertThat(f.accessTokens.get(by(root), dev.token().id()).userId()).isEqualTo(f.developer.id());
        unauthorized(() -> f.accessTokens.get(by(dev), max.token().id()));
        unauthorized(() -> f.accessTokens.get(by(dev), 99_999));
        tokenNotFound(() -> f.accessTokens.get(by(root), 99_999));
    }

    @Test
    void selfIsTheTokenThatAuthenticatedAndAnyScopeMayReadOrRevokeIt() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken narrow = f.accessTokens.createForSelf(by(dev), "agent", Set.of(TokenScope.K8S_PROXY), null);

        assertThat(f.accessTokens.getSelf(by(narrow)).id()).isEqualTo(narrow.token().id());
        assertThat(f.accessTokens.getSelf(by(dev)).id()).isEqualTo(dev.token().id());
        f.accessTokens.revokeSelf(by(narrow));
        assertThatThrownBy(() -> by(narrow)).hasMessage(AuthenticateService.TOKEN_REVOKED);
        assertThat(by(dev).user()).contains(f.developer);
        // A host's own authentication has no token to be "self".
        assertThatThrownBy(() -> f.accessTokens.getSelf(as(f.developer))).isInstanceOf(BadRequestException.class)
                .hasMessage(AccessTokensService.PERSONAL_ACCESS_TOKEN_REQUIRED);
    }

    // --------------------------------------------------------------------------------------------------- revoke

    @Test
    void theOwnerOrAnAdministratorRevokesATokenWhichStopsAuthenticatingAtOnce() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken devSecond = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken max = issued(f.maintainer, Set.of(TokenScope.API));
        IssuedToken root = issued(f.admin, Set.of(TokenScope.API));

        f.accessTokens.revoke(by(dev), devSecond.token().id());
        assertThatThrownBy(() -> by(devSecond)).hasMessage(AuthenticateService.TOKEN_REVOKED);
        // Revoking again changes nothing and is no error, as GitLab's revoke! has it.
        f.accessTokens.revoke(by(dev), devSecond.token().id());

        // Someone else's token: GitLab finds it first (404 for none at all), then refuses with a bare 400.
        assertThatThrownBy(() -> f.accessTokens.revoke(by(dev), max.token().id()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason()).isEmpty());
        tokenNotFound(() -> f.accessTokens.revoke(by(dev), 99_999));
        assertThat(by(max).user()).contains(f.maintainer);

        f.accessTokens.revoke(by(root), max.token().id());
        assertThatThrownBy(() -> by(max)).hasMessage(AuthenticateService.TOKEN_REVOKED);
    }

    // --------------------------------------------------------------------------------------------------- rotate

    @Test
    void rotationRevokesTheTokenAndIssuesItsSuccessorForAWeek() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API, TokenScope.READ_API));

        IssuedToken successor = f.accessTokens.rotate(by(dev), dev.token().id(), null);

        assertThat(successor.secret()).isNotEqualTo(dev.secret()).startsWith("glpat-");
        assertThat(successor.token().name()).isEqualTo(dev.token().name());
        assertThat(successor.token().scopes()).isEqualTo(dev.token().scopes());
        assertThat(successor.token().userId()).isEqualTo(f.developer.id());
        assertThat(successor.token().expiresAt()).isEqualTo(TODAY.plusDays(7));
        assertThat(successor.token().previousTokenId()).isEqualTo(dev.token().id());
        assertThatThrownBy(() -> by(dev)).hasMessage(AuthenticateService.TOKEN_REVOKED);
        assertThat(by(successor).user()).contains(f.developer);

        IssuedToken dated = f.accessTokens.rotate(by(successor), successor.token().id(), TODAY.plusDays(30));
        assertThat(dated.token().expiresAt()).isEqualTo(TODAY.plusDays(30));
    }

    @Test
    void rotationRefusesARevokedTokenATooLateDateAndStrangers() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken spare = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken max = issued(f.maintainer, Set.of(TokenScope.API));
        IssuedToken root = issued(f.admin, Set.of(TokenScope.API));
        f.accessTokens.revoke(by(dev), spare.token().id());

        Refusals.badRequest(() -> f.accessTokens.rotate(by(dev), spare.token().id(), null),
                AccessTokensService.TOKEN_ALREADY_REVOKED);
        Refusals.badRequest(() -> f.accessTokens.rotate(by(dev), dev.token().id(), TODAY.plusDays(366)),
                "Expires at must be before 2025-05-02");
        unauthorized(() -> f.accessTokens.rotate(by(dev), max.token().id(), null));
        tokenNotFound(() -> f.accessTokens.rotate(by(root), 99_999, null));
        // Nothing changed by the refusals.
        assertThat(by(dev).user()).contains(f.developer);
        assertThat(by(max).user()).contains(f.maintainer);
        assertThat(f.repos.users().tokensOf(f.developer.id())).hasSize(2);

        assertThat(f.accessTokens.rotate(by(root), max.token().id(), null).token().userId())
                .isEqualTo(f.maintainer.id());
    }

    @Test
    void aSelfRotateTokenRotatesItselfAndNothingElse() {
        IssuedToken narrow = issued(f.developer, Set.of(TokenScope.SELF_ROTATE));
        IssuedToken other = issued(f.developer, Set.of(TokenScope.API));

        IssuedToken successor = f.accessTokens.rotateSelf(by(narrow), null);

        assertThat(successor.token().scopes()).containsExactly(TokenScope.SELF_ROTATE);
        assertThat(successor.token().previousTokenId()).isEqualTo(narrow.token().id());
        Refusals.forbidden(() -> f.accessTokens.rotate(by(successor), other.token().id(), null));
        assertThatThrownBy(() -> f.accessTokens.rotateSelf(as(f.developer), null))
                .isInstanceOf(NotAllowedException.class);
    }

    @Test
    void ofTwoRotationsOfOneTokenOnlyOneSucceeds() {
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        Actor first = by(dev);
        Actor second = by(dev);

        f.accessTokens.rotate(first, dev.token().id(), null);

        Refusals.badRequest(() -> f.accessTokens.rotateSelf(second, null), AccessTokensService.TOKEN_ALREADY_REVOKED);
        assertThat(f.repos.users().tokensRotatedFrom(dev.token().id())).hasSize(1);
    }

    @Test
    void presentingARotatedAwayTokenForRotationRevokesItsWholeFamily() {
        IssuedToken first = issued(f.developer, Set.of(TokenScope.API));
        IssuedToken second = f.accessTokens.rotate(by(first), first.token().id(), null);
        IssuedToken third = f.accessTokens.rotate(by(second), second.token().id(), null);
        IssuedToken unrelated = issued(f.developer, Set.of(TokenScope.API));

        // An ordinary request with the old token is only refused...
        assertThatThrownBy(() -> f.authenticate.byAccessToken(first.secret()))
                .hasMessage(AuthenticateService.TOKEN_REVOKED);
        assertThat(by(third).user()).contains(f.developer);
        // ...but presenting it to rotate means a copy of it is in someone else's hands.
        assertThatThrownBy(() -> f.authenticate.byAccessTokenForRotation(first.secret()))
                .hasMessage(AuthenticateService.TOKEN_REVOKED);
        assertThatThrownBy(() -> by(third)).hasMessage(AuthenticateService.TOKEN_REVOKED);
        assertThat(by(unrelated).user()).contains(f.developer);
    }

    @Test
    void rotationKeepsTheConfiguredLifetime() {
        AccessTokensUseCase unlimited = f.rewire(f.settings.withTokenLifetime(
                io.jobyard.domain.user.TokenLifetime.UNLIMITED)).accessTokens();
        IssuedToken dev = issued(f.developer, Set.of(TokenScope.API));
        assertThat(unlimited.rotate(by(dev), dev.token().id(), null).token().expiresAt()).isNull();
    }

    private static TokenFilter filterByUser(long userId) {
        return new TokenFilter(userId, false, null, null, null, null, null, null, null, null, null,
                TokenOrder.ID_ASC);
    }

    private static List<Long> ids(ListPage<AccessToken> page) {
        return page.items().stream().map(AccessToken::id).toList();
    }
}
