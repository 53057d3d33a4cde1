package io.jobyard.application.contract;

import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.ProjectRepository.Membership;
import io.jobyard.application.port.out.ProjectRepository.ProjectSearch;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link ProjectRepository} has. Extend it and supply the store. */
public abstract class ProjectRepositoryContract extends RepositoryContract {

    private ProjectRepository projects;

    @BeforeEach
    public void useProjects() {
        projects = repos.projects();
    }

    @Test
    public void nextIdGivesIncreasingIds() {
        ProjectId first = projects.nextId();
        assertThat(projects.nextId()).isGreaterThan(first);
    }

    @Test
    public void insertedProjectReadsBackWithEveryField() {
        Project project = new Project(projects.nextId(), "Döner & Co", "doner.co-1", "team/sub-group",
                Visibility.INTERNAL, true, true, TestData.T0.plusMillis(123));

        assertThat(projects.insert(project)).isEqualTo(project);
        assertThat(projects.findById(project.id())).contains(project);
        assertThat(projects.findById(projects.nextId())).isEmpty();
    }

    @Test
    public void descriptionDefaultBranchAndRepositoryReadBackAndUpdate() {
        Project project = new Project(projects.nextId(), "Docs", "docs", "team", Visibility.PUBLIC, true, false,
                TestData.T0, "Ünïcode notes\nover two lines", "release/2.x",
                new RepositoryUrl("https://git.example.com/team/docs.git"));
        assertThat(projects.insert(project)).isEqualTo(project);
        assertThat(projects.findById(project.id())).contains(project);
        assertThat(projects.findByFullPath("team/docs")).contains(project);

        Project cleared = project.withFacts(null, null, null);
        assertThat(projects.update(cleared)).isEqualTo(cleared);
        assertThat(projects.findById(project.id())).contains(cleared);
        assertThat(projects.findById(project.id()).orElseThrow().effectiveDefaultBranch()).isEqualTo("main");
    }

    @Test
    public void findByFullPathIgnoresCase() {
        Project project = data.project("Group/Sub", "My-Project", Visibility.PUBLIC, false);

        assertThat(projects.findByFullPath("Group/Sub/My-Project")).contains(project);
        assertThat(projects.findByFullPath("group/sub/my-project")).contains(project);
        assertThat(projects.findByFullPath("GROUP/SUB/MY-PROJECT")).contains(project);
        assertThat(projects.findByFullPath("group/my-project")).isEmpty();
        assertThat(projects.findByFullPath("group/sub")).isEmpty();
    }

    @Test
    public void aFullPathTakenInAnyCaseIsAConflict() {
        data.project("group", "app", Visibility.PRIVATE, false);
        Project clash = data.projectRecord("GROUP", "App", Visibility.PRIVATE, false);

        assertThatThrownBy(() -> projects.insert(clash)).isInstanceOf(ConflictException.class);
        assertThat(projects.findById(clash.id())).isEmpty();
    }

    @Test
    public void theSamePathInAnotherNamespaceIsFine() {
        data.project("group", "app", Visibility.PRIVATE, false);
        Project elsewhere = data.projectRecord("other", "app", Visibility.PRIVATE, false);
        assertThat(projects.insert(elsewhere)).isEqualTo(elsewhere);
    }

    @Test
    public void insertingAnExistingIdIsAConflict() {
        Project stored = data.project("app");
        Project sameId = new Project(stored.id(), "x", "another-path", "group", Visibility.PRIVATE, false, false,
                TestData.T0);
        assertThatThrownBy(() -> projects.insert(sameId)).isInstanceOf(ConflictException.class);
    }

    @Test
    public void updateStoresTheNewValues() {
        Project stored = data.project("app");
        Project changed = new Project(stored.id(), "Renamed", "renamed", "new-group", Visibility.PUBLIC, true, true,
                stored.createdAt());

        assertThat(projects.update(changed)).isEqualTo(changed);
        assertThat(projects.findById(stored.id())).contains(changed);
        assertThat(projects.findByFullPath("new-group/renamed")).contains(changed);
        assertThat(projects.findByFullPath("group/app")).isEmpty();
    }

    @Test
    public void updateToATakenPathIsAConflict() {
        data.project("group", "taken", Visibility.PRIVATE, false);
        Project stored = data.project("app");
        Project clash = new Project(stored.id(), stored.name(), "Taken", "group", stored.visibility(),
                stored.publicBuilds(), stored.ciJobTokenScopeEnabled(), stored.createdAt());

        assertThatThrownBy(() -> projects.update(clash)).isInstanceOf(ConflictException.class);
        assertThat(projects.findById(stored.id())).contains(stored);
    }

    @Test
    public void listIsByAscendingIdWithOffsetAndLimit() {
        Project a = data.project("a");
        Project b = data.project("b");
        Project c = data.project("c");

        assertThat(projects.list(0, 10)).containsExactly(a, b, c);
        assertThat(projects.list(1, 1)).containsExactly(b);
        assertThat(projects.list(3, 10)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ members

    @Test
    public void membersHaveOneRolePerProject() {
        Project project = data.project("app");
        Project other = data.project("other");
        User alice = data.user("alice");

        assertThat(projects.roleOf(project.id(), alice.id())).isEmpty();
        projects.putMember(project.id(), alice.id(), Role.DEVELOPER);
        assertThat(projects.roleOf(project.id(), alice.id())).contains(Role.DEVELOPER);
        assertThat(projects.roleOf(other.id(), alice.id())).isEmpty();

        projects.putMember(project.id(), alice.id(), Role.MAINTAINER);
        assertThat(projects.roleOf(project.id(), alice.id())).contains(Role.MAINTAINER);
        assertThat(projects.members(project.id())).hasSize(1);
    }

    @Test
    public void findWithRoleReadsTheProjectWithTheUsersRoleInIt() {
        Project project = data.project("app");
        Project other = data.project("other");
        User alice = data.user("alice");
        User bob = data.user("bob");
        projects.putMember(project.id(), alice.id(), Role.DEVELOPER);
        projects.putMember(other.id(), bob.id(), Role.OWNER);

        assertThat(projects.findWithRole(project.id(), alice.id()))
                .contains(new ProjectRepository.ProjectWithRole(project, Role.DEVELOPER));
        assertThat(projects.findWithRole(project.id(), bob.id()))
                .contains(new ProjectRepository.ProjectWithRole(project, null));
        assertThat(projects.findWithRole(project.id(), null))
                .contains(new ProjectRepository.ProjectWithRole(project, null));
        assertThat(projects.findWithRole(ProjectId.of(other.id().value() + 1000), alice.id())).isEmpty();
    }

    @Test
    public void removeMemberSaysWhetherThereWasOne() {
        Project project = data.project("app");
        User alice = data.user("alice");
        projects.putMember(project.id(), alice.id(), Role.REPORTER);

        assertThat(projects.removeMember(project.id(), alice.id())).isTrue();
        assertThat(projects.roleOf(project.id(), alice.id())).isEmpty();
        assertThat(projects.removeMember(project.id(), alice.id())).isFalse();
    }

    @Test
    public void removeMembershipsTakesTheUserOutOfEveryProjectAndNobodyElse() {
        Project app = data.project("app");
        Project other = data.project("other");
        User alice = data.user("alice");
        User bob = data.user("bob");
        projects.putMember(app.id(), alice.id(), Role.OWNER);
        projects.putMember(other.id(), alice.id(), Role.GUEST);
        projects.putMember(app.id(), bob.id(), Role.DEVELOPER);

        assertThat(projects.removeMemberships(alice.id())).isEqualTo(2);
        assertThat(projects.roleOf(app.id(), alice.id())).isEmpty();
        assertThat(projects.roleOf(other.id(), alice.id())).isEmpty();
        assertThat(projects.roleOf(app.id(), bob.id())).contains(Role.DEVELOPER);
        assertThat(projects.removeMemberships(alice.id())).isZero();
    }

    @Test
    public void membersAreListedByUserIdForTheirProjectOnly() {
        Project project = data.project("app");
        Project other = data.project("other");
        User a = data.user("a-user");
        User b = data.user("b-user");
        User c = data.user("c-user");
        projects.putMember(project.id(), c.id(), Role.OWNER);
        projects.putMember(project.id(), a.id(), Role.GUEST);
        projects.putMember(other.id(), b.id(), Role.DEVELOPER);

        assertThat(projects.members(project.id())).containsExactly(
                new Membership(project.id(), a.id(), Role.GUEST),
                new Membership(project.id(), c.id(), Role.OWNER));
        assertThat(projects.members(data.project("empty").id())).isEmpty();
    }

    // --------------------------------------------------------------------------------------------------- search

    @Test
    public void anonymousSearchSeesPublicProjectsOnlyNewestFirst() {
        Project open1 = data.project("g", "open-1", Visibility.PUBLIC, false);
        data.project("g", "inside", Visibility.INTERNAL, false);
        data.project("g", "secret", Visibility.PRIVATE, false);
        Project open2 = data.project("g", "open-2", Visibility.PUBLIC, false);

        ProjectSearch anonymous = new ProjectSearch(null, false, null, null, null);
        assertThat(projects.search(anonymous, 0, 10)).containsExactly(open2, open1);
        assertThat(projects.search(anonymous, 1, 10)).containsExactly(open1);
        assertThat(projects.count(anonymous)).isEqualTo(2);
    }

    @Test
    public void searchBeforeWalksKeysetPagesNewestFirstWithWhatTheViewerMaySee() {
        Project open1 = data.project("k", "open-1", Visibility.PUBLIC, false);
        data.project("k", "secret", Visibility.PRIVATE, false);
        Project open2 = data.project("k", "open-2", Visibility.PUBLIC, false);
        Project open3 = data.project("k", "open-3", Visibility.PUBLIC, false);

        ProjectSearch anonymous = new ProjectSearch(null, false, null, null, null);
        assertThat(projects.searchBefore(anonymous, null, 2)).containsExactly(open3, open2);
        assertThat(projects.searchBefore(anonymous, open2.id(), 2)).containsExactly(open1);
        assertThat(projects.searchBefore(anonymous, open1.id(), 2)).isEmpty();
    }

    @Test
    public void aUserSeesPublicInternalAndTheirOwnPrivateProjects() {
        User alice = data.user("alice");
        Project open = data.project("g", "open", Visibility.PUBLIC, false);
        Project inside = data.project("g", "inside", Visibility.INTERNAL, false);
        Project mine = data.project("g", "mine", Visibility.PRIVATE, false);
        data.project("g", "theirs", Visibility.PRIVATE, false);
        data.member(mine, alice, Role.GUEST);

        ProjectSearch asAlice = new ProjectSearch(alice.id(), false, null, null, null);
        assertThat(projects.search(asAlice, 0, 10)).containsExactly(mine, inside, open);
        assertThat(projects.count(asAlice)).isEqualTo(3);
        assertThat(projects.count(new ProjectSearch(alice.id(), true, null, null, null))).isEqualTo(4);
    }

    @Test
    public void membershipAndRoleFiltersNeedTheViewersRole() {
        User alice = data.user("alice");
        data.project("g", "open", Visibility.PUBLIC, false);
        Project owned = data.project("g", "owned", Visibility.PRIVATE, false);
        Project developed = data.project("g", "developed", Visibility.PUBLIC, false);
        data.member(owned, alice, Role.OWNER);
        data.member(developed, alice, Role.DEVELOPER);

        assertThat(projects.search(new ProjectSearch(alice.id(), false, null, null, Role.GUEST), 0, 10))
                .containsExactly(developed, owned);
        assertThat(projects.search(new ProjectSearch(alice.id(), false, null, null, Role.OWNER), 0, 10))
                .containsExactly(owned);
        // an administrator's membership filter still means their own memberships
        assertThat(projects.search(new ProjectSearch(alice.id(), true, null, null, Role.OWNER), 0, 10))
                .containsExactly(owned);
        assertThat(projects.count(new ProjectSearch(alice.id(), false, null, null, Role.GUEST))).isEqualTo(2);
    }

    @Test
    public void visibilityAndTextFiltersCombine() {
        Project web = new Project(projects.nextId(), "Web Shop", "shop", "acme", Visibility.PUBLIC, false, false,
                TestData.T0);
        projects.insert(web);
        Project api = new Project(projects.nextId(), "Backend", "web_api", "acme", Visibility.INTERNAL, false, false,
                TestData.T0);
        projects.insert(api);
        data.project("acme", "other", Visibility.PUBLIC, false);

        ProjectSearch everyWeb = new ProjectSearch(null, true, null, "WEB", null);
        assertThat(projects.search(everyWeb, 0, 10)).containsExactly(api, web);
        assertThat(projects.search(new ProjectSearch(null, true, Visibility.PUBLIC, "web", null), 0, 10))
                .containsExactly(web);
        // LIKE wildcards in the text are plain characters
        assertThat(projects.search(new ProjectSearch(null, true, null, "b_a", null), 0, 10)).containsExactly(api);
        assertThat(projects.search(new ProjectSearch(null, true, null, "%", null), 0, 10)).isEmpty();
        assertThat(projects.count(everyWeb)).isEqualTo(2);
    }

    @Test
    public void rolesOfAnswersOnlyTheProjectsTheUserIsAMemberOf() {
        User alice = data.user("alice");
        Project a = data.project("a");
        Project b = data.project("b");
        Project c = data.project("c");
        data.member(a, alice, Role.REPORTER);
        data.member(c, alice, Role.OWNER);

        assertThat(projects.rolesOf(alice.id(), List.of(a.id(), b.id(), c.id())))
                .isEqualTo(Map.of(a.id(), Role.REPORTER, c.id(), Role.OWNER));
        assertThat(projects.rolesOf(alice.id(), List.of())).isEmpty();
    }
}
