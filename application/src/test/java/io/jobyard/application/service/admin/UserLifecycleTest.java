package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.in.admin.UsersUseCase.Outcome;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.auth.AuthenticateService;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GitLab's block, unblock, deactivate, activate and delete, and that each cuts off (or restores) the user's tokens. */
class UserLifecycleTest {
    private final ServiceFixture f = new ServiceFixture();

    private String tokenOf(User user) {
        IssuedToken issued = f.accessTokens.createForUser(as(f.admin), user.id(), "t", Set.of(TokenScope.API), null);
        return issued.secret();
    }

    private UserState stateOf(User user) {
        return f.repos.users().findById(user.id()).orElseThrow().state();
    }

    private void authenticates(String secret, boolean expected) {
        if (expected) {
            assertThat(f.authenticate.byAccessToken(secret).user()).isPresent();
        } else {
            assertThatThrownBy(() -> f.authenticate.byAccessToken(secret))
                    .hasMessage(AuthenticateService.UNAUTHORIZED);
        }
    }

    @Test
    void blockingCutsOffEveryTokenOfTheUserAndUnblockingRestoresThem() {
        String first = tokenOf(f.developer);
        String second = tokenOf(f.developer);

        assertThat(f.users.block(as(f.admin), f.developer.id())).isEqualTo(Outcome.CHANGED);

        assertThat(stateOf(f.developer)).isEqualTo(UserState.BLOCKED);
        authenticates(first, false);
        authenticates(second, false);
        assertThat(f.users.block(as(f.admin), f.developer.id())).isEqualTo(Outcome.ALREADY);

        assertThat(f.users.unblock(as(f.admin), f.developer.id())).isEqualTo(Outcome.CHANGED);
        authenticates(first, true);
        assertThat(f.users.unblock(as(f.admin), f.developer.id())).isEqualTo(Outcome.NO_TRANSITION);
    }

    @Test
    void onlyAnAdministratorChangesUsersAndNotThemselfByBlocking() {
        Refusals.forbidden(() -> f.users.block(as(f.owner), f.developer.id()));
        Refusals.forbidden(() -> f.users.block(readOnly(f.admin), f.developer.id()));
        Refusals.forbidden(() -> f.users.delete(as(f.maintainer), f.developer.id()));
        Refusals.forbidden(() -> f.users.block(as(f.admin), f.admin.id()),
                UsersService.CANNOT_BLOCK_SELF);
        Refusals.notFound(() -> f.users.activate(as(f.admin), UserId.of(99_999)),
                NotFoundException.Kind.RESOURCE, "User");
        assertThat(stateOf(f.developer)).isEqualTo(UserState.ACTIVE);
        assertThat(stateOf(f.admin)).isEqualTo(UserState.ACTIVE);
    }

    @Test
    void aDormantUserIsDeactivatedAndActivatedAgain() {
        String token = tokenOf(f.developer); // created, never used

        assertThat(f.users.deactivate(as(f.admin), f.developer.id())).isEqualTo(Outcome.CHANGED);
        assertThat(stateOf(f.developer)).isEqualTo(UserState.DEACTIVATED);
        authenticates(token, false);
        assertThat(f.users.deactivate(as(f.admin), f.developer.id())).isEqualTo(Outcome.ALREADY);
        Refusals.forbidden(() -> f.users.unblock(as(f.admin), f.developer.id()),
                UsersService.CANNOT_UNBLOCK_DEACTIVATED);

        assertThat(f.users.activate(as(f.admin), f.developer.id())).isEqualTo(Outcome.CHANGED);
        authenticates(token, true);
        assertThat(f.users.activate(as(f.admin), f.developer.id())).isEqualTo(Outcome.NO_TRANSITION);
    }

    @Test
    void aUserActiveInTheLastNinetyDaysIsNotDeactivatedButMayBeBlocked() {
        String token = tokenOf(f.developer);
        authenticates(token, true); // a use, recorded now

        f.clock.advance(Duration.ofDays(89));
        assertThatThrownBy(() -> f.users.deactivate(as(f.admin), f.developer.id()))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> {
                    assertThat(e.reason()).contains(UsersService.RECENTLY_ACTIVE);
                    assertThat(e.verbatim()).isTrue();
                });
        assertThat(stateOf(f.developer)).isEqualTo(UserState.ACTIVE);

        f.clock.advance(Duration.ofDays(2));
        assertThat(f.users.deactivate(as(f.admin), f.developer.id())).isEqualTo(Outcome.CHANGED);
    }

    @Test
    void aBlockedUserIsNeitherDeactivatedNorActivatedButADeactivatedOneIsBlocked() {
        f.users.block(as(f.admin), f.developer.id());
        assertThatThrownBy(() -> f.users.deactivate(as(f.admin), f.developer.id()))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> {
                    assertThat(e.reason()).contains(UsersService.BLOCKED_CANNOT_BE_DEACTIVATED);
                    assertThat(e.verbatim()).isTrue();
                });
        Refusals.forbidden(() -> f.users.activate(as(f.admin), f.developer.id()),
                UsersService.UNBLOCK_BEFORE_ACTIVATING);
        assertThat(stateOf(f.developer)).isEqualTo(UserState.BLOCKED);

        f.users.deactivate(as(f.admin), f.reporter.id());
        assertThat(f.users.block(as(f.admin), f.reporter.id())).isEqualTo(Outcome.CHANGED);
        assertThat(stateOf(f.reporter)).isEqualTo(UserState.BLOCKED);
    }

    @Test
    void deletingAUserRemovesTheirTokensAndMembershipsAtOnce() {
        String token = tokenOf(f.developer);

        f.users.delete(as(f.admin), f.developer.id());

        assertThat(f.repos.users().findById(f.developer.id())).isEmpty();
        assertThat(f.repos.users().tokensOf(f.developer.id())).isEmpty();
        assertThat(f.repos.projects().roleOf(f.project.id(), f.developer.id())).isEmpty();
        assertThat(f.repos.projects().roleOf(f.project.id(), f.maintainer.id())).contains(Role.MAINTAINER);
        authenticates(token, false);
        Refusals.notFound(() -> f.users.delete(as(f.admin), f.developer.id()),
                NotFoundException.Kind.RESOURCE, "User");
    }

    @Test
    void theLastActiveAdministratorIsNotDeleted() {
        assertThatThrownBy(() -> f.users.delete(as(f.admin), f.admin.id()))
                .isInstanceOf(ConflictException.class).hasMessage(UsersService.LAST_ADMINISTRATOR);
        User second = f.data.admin("second-root");

        f.users.delete(as(second), f.admin.id());

        assertThat(f.repos.users().findById(f.admin.id())).isEmpty();
    }
}
