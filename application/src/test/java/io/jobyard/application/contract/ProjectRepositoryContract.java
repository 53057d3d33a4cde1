package io.jobyard.application.contract;

import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.ProjectRepository.Membership;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    public void removeMemberSaysWhetherThereWasOne() {
        Project project = data.project("app");
        User alice = data.user("alice");
        projects.putMember(project.id(), alice.id(), Role.REPORTER);

        assertThat(projects.removeMember(project.id(), alice.id())).isTrue();
        assertThat(projects.roleOf(project.id(), alice.id())).isEmpty();
        assertThat(projects.removeMember(project.id(), alice.id())).isFalse();
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
}
