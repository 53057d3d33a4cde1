package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.MembersUseCase.Member;
import io.jobyard.application.port.in.admin.MembersUseCase.MemberFilter;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectFilter;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectView;
import io.jobyard.application.port.in.admin.UsersUseCase.UserFilter;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

/** The reads of the admin surface: who sees which users, projects and members. */
class AdministrationReadsTest {
    private static final Pagination.Offset FIRST = new Pagination.Offset(1, 20);

    private final ServiceFixture f = new ServiceFixture();

    // ---------------------------------------------------------------------------------------------------- users

    @Test
    void signedInUsersListEveryoneNewestFirstWithATotal() {
        ListPage<User> page = f.users.listUsers(readOnly(f.outsider), UserFilter.NONE,
                new Pagination.Offset(2, 3));

        assertThat(page.items()).containsExactly(f.developer, f.maintainer, f.owner);
        assertThat(page.total()).isEqualTo(7);
        assertThat(page.hasNext()).isTrue();
        assertThat(f.users.listUsers(as(f.admin), UserFilter.NONE, new Pagination.Offset(3, 3)).hasNext())
                .isFalse();
    }

    @Test
    void anonymousRequestsMustNameOneUsername() {
        Refusals.forbidden(() -> f.users.listUsers(Actor.ANONYMOUS, UserFilter.NONE, FIRST),
                "Not authorized to access /api/v4/users");

        ListPage<User> page = f.users.listUsers(Actor.ANONYMOUS, new UserFilter("DEV", null, false), FIRST);
        assertThat(page.items()).containsExactly(f.developer);
    }

    @Test
    void onlyAdminsFindUsersByEmail() {
        UserFilter byEmail = new UserFilter(null, "dev@example.com", false);

        assertThat(f.users.listUsers(as(f.admin), byEmail, FIRST).items()).containsExactly(f.developer);
        assertThat(f.users.listUsers(as(f.owner), byEmail, FIRST).items()).isEmpty();
        assertThat(f.users.listUsers(as(f.owner), new UserFilter(null, "Name of r", false), FIRST).items())
                .containsExactly(f.reporter, f.admin);
    }

    @Test
    void activeFilterLeavesOutBlockedUsers() {
        User blocked = f.repos.users().insert(f.data.userRecord("blocky", false, UserState.BLOCKED));

        assertThat(f.users.listUsers(as(f.owner), UserFilter.NONE, FIRST).items()).contains(blocked);
        assertThat(f.users.listUsers(as(f.owner), new UserFilter(null, null, true), FIRST).items())
                .doesNotContain(blocked).hasSize(7);
    }

    @Test
    void oneUserNeedsASignedInCaller() {
        assertThat(f.users.getUser(readOnly(f.outsider), f.developer.id())).isEqualTo(f.developer);
        Refusals.forbidden(() -> f.users.getUser(Actor.ANONYMOUS, f.developer.id()), "Not authorized!");
        Refusals.notFound(() -> f.users.getUser(as(f.admin), UserId.of(999)),
                NotFoundException.Kind.RESOURCE, "User");
    }

    @Test
    void currentUserIsTheCredentialsOwner() {
        assertThat(f.users.currentUser(readOnly(f.guest))).isEqualTo(f.guest);
        Refusals.unauthorized(() -> f.users.currentUser(Actor.ANONYMOUS));
    }

    // ------------------------------------------------------------------------------------------------- projects

    @Test
    void projectListingsShowWhatTheActorMaySee() {
        Project open = f.project("open", Visibility.PUBLIC, false);
        Project inside = f.project("inside", Visibility.INTERNAL, false);
        Project hidden = f.data.project("other", "hidden", Visibility.PRIVATE, false);

        assertThat(projects(Actor.ANONYMOUS, ProjectFilter.NONE)).containsExactly(open);
        assertThat(projects(as(f.outsider), ProjectFilter.NONE)).containsExactly(inside, open);
        assertThat(projects(readOnly(f.guest), ProjectFilter.NONE)).containsExactly(inside, open, f.project);
        assertThat(projects(as(f.admin), ProjectFilter.NONE)).containsExactly(hidden, inside, open, f.project);
    }

    @Test
    void projectListingsCarryTheCallersRole() {
        ListPage<ProjectView> page = f.projects.listProjects(as(f.developer), ProjectFilter.NONE, FIRST);
        Project open = f.project("open", Visibility.PUBLIC, false);
        f.data.member(open, f.developer, Role.MAINTAINER);

        assertThat(page.items()).containsExactly(new ProjectView(f.project, Role.DEVELOPER));
        assertThat(f.projects.listProjects(as(f.developer), ProjectFilter.NONE, FIRST).items())
                .containsExactly(new ProjectView(open, Role.MAINTAINER), new ProjectView(f.project, Role.DEVELOPER));
        assertThat(f.projects.listProjects(Actor.ANONYMOUS, ProjectFilter.NONE, FIRST).items())
                .containsExactly(new ProjectView(open, null));
    }

    @Test
    void membershipOwnedVisibilityAndSearchFilter() {
        Project open = f.data.project("other", "open-thing", Visibility.PUBLIC, false);
        Project mine = f.data.project("other", "mine", Visibility.PUBLIC, false);
        f.data.member(mine, f.developer, Role.OWNER);

        assertThat(projects(as(f.developer), new ProjectFilter(null, null, true, false))).containsExactly(mine,
                f.project);
        assertThat(projects(as(f.developer), new ProjectFilter(null, null, false, true))).containsExactly(mine);
        assertThat(projects(as(f.developer), new ProjectFilter(Visibility.PRIVATE, null, false, false)))
                .containsExactly(f.project);
        assertThat(projects(as(f.developer), new ProjectFilter(null, "THING", false, false))).containsExactly(open);
        assertThat(projects(Actor.ANONYMOUS, new ProjectFilter(null, null, true, false))).isEmpty();
        assertThat(f.projects.listProjects(Actor.ANONYMOUS, new ProjectFilter(null, null, true, false), FIRST)
                .total()).isZero();
    }

    @Test
    void oneProjectByIdOrPathWhenVisible() {
        assertThat(f.projects.getProject(as(f.guest), ProjectRef.parse("ACME/app")))
                .isEqualTo(new ProjectView(f.project, Role.GUEST));
        assertThat(f.projects.getProject(as(f.admin), f.ref)).isEqualTo(new ProjectView(f.project, null));
        Refusals.projectNotFound(() -> f.projects.getProject(as(f.outsider), f.ref));
        Refusals.projectNotFound(() -> f.projects.getProject(Actor.ANONYMOUS, f.ref));
        Project open = f.project("open", Visibility.PUBLIC, false);
        assertThat(f.projects.getProject(Actor.ANONYMOUS, ProjectRef.of(open.id())).project()).isEqualTo(open);
    }

    // -------------------------------------------------------------------------------------------------- members

    @Test
    void membersAreListedByUserIdToThoseWhoSeeTheProject() {
        ListPage<Member> page = f.members.listMembers(readOnly(f.guest), f.ref, MemberFilter.NONE,
                new Pagination.Offset(1, 2));

        assertThat(page.items()).containsExactly(new Member(f.owner, Role.OWNER),
                new Member(f.maintainer, Role.MAINTAINER));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.hasNext()).isTrue();
        Refusals.projectNotFound(() -> f.members.listMembers(as(f.outsider), f.ref, MemberFilter.NONE, FIRST));
        Refusals.unauthorized(() -> f.members.listMembers(Actor.ANONYMOUS, f.ref, MemberFilter.NONE, FIRST));
    }

    @Test
    void membersFilterByQueryAndUserIds() {
        assertThat(f.members.listMembers(as(f.admin), f.ref, new MemberFilter("RIT", Set.of()), FIRST).items())
                .containsExactly(new Member(f.reporter, Role.REPORTER));
        assertThat(f.members.listMembers(as(f.admin), f.ref,
                new MemberFilter(null, Set.of(f.guest.id(), f.outsider.id())), FIRST).items())
                .containsExactly(new Member(f.guest, Role.GUEST));
    }

    @Test
    void oneMemberOrNotFound() {
        assertThat(f.members.getMember(readOnly(f.reporter), f.ref, f.developer.id()))
                .isEqualTo(new Member(f.developer, Role.DEVELOPER));
        Refusals.recordNotFound(() -> f.members.getMember(as(f.admin), f.ref, f.outsider.id()), "Member");
        Refusals.projectNotFound(() -> f.members.getMember(as(f.outsider), f.ref, f.developer.id()));
        Refusals.unauthorized(() -> f.members.getMember(Actor.ANONYMOUS, f.ref, f.developer.id()));
    }

    @Test
    void aJobTokenReadsItsOwnProjectOnly() {
        Job job = f.job(f.pipeline(), "build", JobStatus.RUNNING);
        Project open = f.project("open", Visibility.PUBLIC, false);

        assertThat(f.projects.getProject(jobToken(f.developer, job), f.ref).role()).isEqualTo(Role.DEVELOPER);
        Refusals.forbidden(() -> f.projects.getProject(jobToken(f.developer, job), ProjectRef.of(open.id())),
                "Authentication by CI/CD job token not allowed from acme/app to acme/open.");
    }

    private List<Project> projects(Actor actor, ProjectFilter filter) {
        return f.projects.listProjects(actor, filter, FIRST).items().stream().map(ProjectView::project).toList();
    }
}
