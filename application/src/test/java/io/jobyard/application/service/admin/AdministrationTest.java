package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase.NewProject;
import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnprocessableException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenLifetime;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdministrationTest {
    private final ServiceFixture f = new ServiceFixture();
    private final LocalDate nextYear = LocalDate.of(2025, 4, 1);

    // ---------------------------------------------------------------------------------------------------- users

    @Test
    void anAdminCreatesActiveUsers() {
        User created = f.users.createUser(as(f.admin), new NewUser("newbie", "New Bie", "n@example.com", false));

        assertThat(created.state()).isEqualTo(UserState.ACTIVE);
        assertThat(created.createdAt()).isEqualTo(NOW);
        assertThat(created.admin()).isFalse();
        assertThat(f.repos.users().findByUsername("NEWBIE")).contains(created);
    }

    @Test
    void onlyAdminsCreateUsers() {
        NewUser user = new NewUser("newbie", "New Bie", null, true);
        Refusals.forbidden(() -> f.users.createUser(as(f.owner), user));
        Refusals.forbidden(() -> f.users.createUser(readOnly(f.admin), user));
        Refusals.unauthorized(() -> f.users.createUser(Actor.ANONYMOUS, user));
        assertThat(f.repos.users().findByUsername("newbie")).isEmpty();
    }

    @Test
    void takenOrInvalidUsernamesAreRefused() {
        assertThatThrownBy(() -> f.users.createUser(as(f.admin), new NewUser("DEV", "x", null, false)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> f.users.createUser(as(f.admin), new NewUser("no spaces", "x", null, false)))
                .isInstanceOf(BadRequestException.class);
    }

    // --------------------------------------------------------------------------------------------------- tokens

    @Test
    void anAdministratorCreatesATokenThatThenAuthenticates() {
        IssuedToken issued = f.accessTokens.createForUser(as(f.admin), f.developer.id(), "ci",
                Set.of(TokenScope.READ_API), nextYear);

        assertThat(issued.secret()).startsWith(AccessTokensService.TOKEN_PREFIX);
        assertThat(issued.token().digest()).isEqualTo(SecretTokens.digest(issued.secret()));
        assertThat(issued.token().userId()).isEqualTo(f.developer.id());
        assertThat(issued.token().scopes()).containsExactly(TokenScope.READ_API);
        assertThat(issued.token().expiresAt()).isEqualTo(nextYear);
        assertThat(issued.toString()).doesNotContain(issued.secret());
        Actor actor = f.authenticate.byAccessToken(issued.secret());
        assertThat(actor.user()).contains(f.developer);
        assertThat(actor.canWrite()).isFalse();
    }

    @Test
    void onlyAnAdministratorCreatesTokensNotEvenAUserForThemself() {
        // GitLab's POST /users/:user_id/personal_access_tokens is authenticated_as_admin!: a leaked api token must not
        // be able to mint more api tokens that outlive its revocation.
        Refusals.forbidden(() -> f.accessTokens.createForUser(as(f.developer), f.developer.id(), "x",
                Set.of(TokenScope.API), null));
        Refusals.forbidden(() -> f.accessTokens.createForUser(as(f.owner), f.developer.id(), "x", Set.of(TokenScope.API),
                null));
        assertThat(f.accessTokens.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API), null)
                .token().userId()).isEqualTo(f.developer.id());
        Refusals.notFound(() -> f.accessTokens.createForUser(as(f.admin), f.repos.users().nextId(), "x",
                Set.of(TokenScope.API), null), NotFoundException.Kind.RESOURCE, "User");
        Refusals.forbidden(() -> f.accessTokens.createForUser(readOnly(f.admin), f.developer.id(), "x",
                Set.of(TokenScope.API), null));
        assertThat(f.repos.users().tokensOf(f.developer.id())).hasSize(1);
    }

    @Test
    void aTokenNeedsANameScopesAndAFutureExpiry() {
        for (Runnable invalid : new Runnable[]{
                () -> f.accessTokens.createForUser(as(f.admin), f.developer.id(), " ", Set.of(TokenScope.API), null),
                () -> f.accessTokens.createForUser(as(f.admin), f.developer.id(), "x", Set.of(), null),
                () -> f.accessTokens.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API),
                        LocalDate.of(2024, 5, 2))}) {
            assertThatThrownBy(invalid::run).isInstanceOf(BadRequestException.class);
        }
        assertThat(f.repos.users().tokensOf(f.developer.id())).isEmpty();
    }

    @Test
    void aTokenLivesAYearAtMostAndAYearWhenNoDateIsGiven() {
        // NOW is 2024-05-02: the latest expiry is 2025-05-02, GitLab's 365 days.
        assertThat(f.accessTokens.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API), null)
                .token().expiresAt()).isEqualTo(LocalDate.of(2025, 5, 2));
        assertThat(f.accessTokens.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API),
                LocalDate.of(2025, 5, 2)).token().expiresAt()).isEqualTo(LocalDate.of(2025, 5, 2));
        for (LocalDate tooLate : new LocalDate[]{LocalDate.of(2025, 5, 3), LocalDate.of(9999, 12, 31)}) {
            assertThatThrownBy(() -> f.accessTokens.createForUser(as(f.admin), f.developer.id(), "x",
                    Set.of(TokenScope.API), tooLate))
                    .isInstanceOf(UnprocessableException.class)
                    .hasMessage("Expires at must be before 2025-05-02");
        }
        assertThat(f.repos.users().tokensOf(f.developer.id())).hasSize(2);
    }

    @Test
    void theLongestLifetimeIsASettingAndCanBeLifted() {
        AccessTokensUseCase thirtyDays = f.rewire(f.settings.withTokenLifetime(new TokenLifetime(30))).accessTokens();
        assertThat(thirtyDays.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API), null)
                .token().expiresAt()).isEqualTo(LocalDate.of(2024, 6, 1));
        assertThatThrownBy(() -> thirtyDays.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API),
                LocalDate.of(2024, 6, 2))).hasMessage("Expires at must be before 2024-06-01");

        AccessTokensUseCase unlimited = f.rewire(f.settings.withTokenLifetime(TokenLifetime.UNLIMITED)).accessTokens();
        assertThat(unlimited.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API), null)
                .token().expiresAt()).isNull();
        assertThat(unlimited.createForUser(as(f.admin), f.developer.id(), "x", Set.of(TokenScope.API),
                LocalDate.of(9999, 12, 31)).token().expiresAt()).isEqualTo(LocalDate.of(9999, 12, 31));
    }

    // ------------------------------------------------------------------------------------------------- projects

    @Test
    void aUserCreatesProjectsInTheirOwnNamespaceAndOwnsThem() {
        Project created = f.projects.createProject(as(f.developer),
                new NewProject("Tool", "tool", null, Visibility.PUBLIC, true));

        assertThat(created.fullPath()).isEqualTo("dev/tool");
        assertThat(created.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(created.publicBuilds()).isTrue();
        assertThat(f.repos.projects().findByFullPath("dev/tool")).contains(created);
        assertThat(f.repos.projects().roleOf(created.id(), f.developer.id())).contains(Role.OWNER);
        assertThat(f.projects.createProject(as(f.developer), new NewProject("T2", "t2", "DEV", null, false))
                .visibility()).isEqualTo(Visibility.PRIVATE);
    }

    @Test
    void onlyAdminsCreateProjectsInOtherNamespaces() {
        NewProject inGroup = new NewProject("Lib", "lib", "acme", Visibility.PRIVATE, false);
        Refusals.forbidden(() -> f.projects.createProject(as(f.owner), inGroup));
        assertThat(f.projects.createProject(as(f.admin), inGroup).fullPath()).isEqualTo("acme/lib");
    }

    @Test
    void takenOrInvalidPathsAreRefused() {
        assertThatThrownBy(() -> f.projects.createProject(as(f.admin),
                new NewProject("Dup", "APP", "acme", Visibility.PRIVATE, false))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> f.projects.createProject(as(f.admin),
                new NewProject("Bad", "-bad", "acme", Visibility.PRIVATE, false)))
                .isInstanceOf(BadRequestException.class);
    }

    // -------------------------------------------------------------------------------------------------- members

    @Test
    void maintainersAddAndChangeMembers() {
        f.members.putMember(as(f.maintainer), f.ref, f.outsider.id(), Role.DEVELOPER);
        assertThat(f.repos.projects().roleOf(f.project.id(), f.outsider.id())).contains(Role.DEVELOPER);

        f.members.putMember(as(f.maintainer), f.ref, f.outsider.id(), Role.MAINTAINER);
        assertThat(f.repos.projects().roleOf(f.project.id(), f.outsider.id())).contains(Role.MAINTAINER);
    }

    @Test
    void developersDoNotManageMembers() {
        Refusals.forbidden(() -> f.members.putMember(as(f.developer), f.ref, f.outsider.id(), Role.GUEST));
        Refusals.forbidden(() -> f.members.removeMember(as(f.developer), f.ref, f.guest.id()));
        Refusals.projectNotFound(() -> f.members.putMember(as(f.outsider), f.ref, f.outsider.id(), Role.GUEST));
        assertThat(f.repos.projects().roleOf(f.project.id(), f.guest.id())).contains(Role.GUEST);
    }

    @Test
    void onlyOwnersGrantOrTouchTheOwnerRole() {
        Refusals.forbidden(() -> f.members.putMember(as(f.maintainer), f.ref, f.outsider.id(), Role.OWNER));
        Refusals.forbidden(() -> f.members.putMember(as(f.maintainer), f.ref, f.owner.id(), Role.GUEST));
        Refusals.forbidden(() -> f.members.removeMember(as(f.maintainer), f.ref, f.owner.id()));
        assertThat(f.repos.projects().roleOf(f.project.id(), f.owner.id())).contains(Role.OWNER);

        f.members.putMember(as(f.owner), f.ref, f.maintainer.id(), Role.OWNER);
        f.members.putMember(as(f.admin), f.ref, f.outsider.id(), Role.OWNER);
        assertThat(f.repos.projects().roleOf(f.project.id(), f.maintainer.id())).contains(Role.OWNER);
        assertThat(f.repos.projects().roleOf(f.project.id(), f.outsider.id())).contains(Role.OWNER);
    }

    @Test
    void membersCanBeRemovedAndAnyoneMayLeave() {
        f.members.removeMember(as(f.maintainer), f.ref, f.developer.id());
        f.members.removeMember(as(f.guest), f.ref, f.guest.id());

        assertThat(f.repos.projects().roleOf(f.project.id(), f.developer.id())).isEmpty();
        assertThat(f.repos.projects().roleOf(f.project.id(), f.guest.id())).isEmpty();
        Refusals.notFound(() -> f.members.removeMember(as(f.maintainer), f.ref, f.outsider.id()),
                NotFoundException.Kind.RESOURCE, "Member");
    }

    @Test
    void addingAnUnknownUserIsUserNotFound() {
        Refusals.notFound(() -> f.members.putMember(as(f.owner), ProjectRef.parse("acme/app"),
                f.repos.users().nextId(), Role.DEVELOPER), NotFoundException.Kind.RESOURCE, "User");
    }
}
