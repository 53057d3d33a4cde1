package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.out.ProjectRepository.ProjectSearch;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Projects. Admins may do everything; a user may create projects in their own namespace (Jobyard has no groups to
 * grant more) and owns what they create; Maintainers change a project, and only Owners (or admins) its visibility.
 */
public final class ProjectsService implements ProjectsUseCase {
    private final ProjectRepository projects;
    private final ProjectGate gate;
    private final Transactor transactor;
    private final Clock clock;

    public ProjectsService(ProjectRepository projects, ProjectGate gate, Transactor transactor, Clock clock) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Project createProject(Actor actor, NewProject project) {
        UserId creatorId = ActorChecks.requireWriter(actor);
        User creator = actor.user().orElseThrow();
        String namespace = project.namespacePath() == null ? creator.username() : project.namespacePath();
        boolean ownNamespace = namespace.toLowerCase(Locale.ROOT).equals(creator.username().toLowerCase(Locale.ROOT));
        if (!actor.isAdmin() && !ownNamespace) {
            throw new ForbiddenException();
        }
        Visibility visibility = project.visibility() == null ? Visibility.PRIVATE : project.visibility();
        return transactor.inTransaction(() -> {
            Project stored = projects.insert(AdminRules.valid(() -> new Project(projects.nextId(), project.name(),
                    project.path(), namespace, visibility, project.publicBuilds(), false, clock.instant(),
                    project.description(), project.defaultBranch(), repository(project.repositoryUrl()))));
            // The creator owns what they create, as in a personal namespace on GitLab.
            projects.putMember(stored.id(), creatorId, Role.OWNER);
            return stored;
        });
    }

    @Override
    public Project updateProject(Actor actor, ProjectRef project, ProjectChanges changes) {
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        AdminRules.requireMaintainer(access);
        if (changes.visibility().isPresent() && changes.visibility().get() != access.project().visibility()
                && !AdminRules.isOwner(access)) {
            throw new ForbiddenException();
        }
        return transactor.inTransaction(() -> {
            Project current = projects.findById(access.project().id())
                    .orElseThrow(() -> NotFoundException.resource("Project"));
            Project changed = AdminRules.valid(() -> new Project(current.id(), changes.name().orElse(current.name()),
                    current.path(), current.namespacePath(), changes.visibility().orElse(current.visibility()),
                    changes.publicBuilds().orElse(current.publicBuilds()), current.ciJobTokenScopeEnabled(),
                    current.createdAt(), changes.description().orElse(current.description()),
                    changes.defaultBranch().orElse(current.defaultBranch()),
                    changes.repositoryUrl().isPresent() ? repository(changes.repositoryUrl().get())
                            : current.repository()));
            return projects.update(changed);
        });
    }

    /** A repository URL as given; empty text names none. */
    private static RepositoryUrl repository(String url) {
        return url == null || url.isEmpty() ? null : new RepositoryUrl(url);
    }

    @Override
    public ListPage<ProjectView> listProjects(Actor actor, ProjectFilter filter, Pagination.Offset page) {
        Optional<ProjectSearch> search = projectSearch(actor, filter);
        if (search.isEmpty()) {
            // Nobody is a member of anything: GitLab answers such a listing empty.
            return new ListPage<>(List.of(), 0, page);
        }
        return transactor.inTransaction(() -> new ListPage<>(
                viewsOf(actor, projects.search(search.get(), page.offset(), page.perPage())),
                projects.count(search.get()), page));
    }

    @Override
    public KeysetPage<ProjectView> listProjects(Actor actor, ProjectFilter filter, Pagination.Keyset page) {
        Optional<ProjectSearch> search = projectSearch(actor, filter);
        if (search.isEmpty()) {
            return new KeysetPage<>(List.of(), false);
        }
        ProjectId before = page.after() == null ? null : ProjectId.of(page.after().id());
        return transactor.inTransaction(() -> KeysetPage.of(
                viewsOf(actor, projects.searchBefore(search.get(), before, page.perPage() + 1)), page.perPage()));
    }

    /** Empty when the filter asks for memberships of an anonymous actor, who has none. */
    private static Optional<ProjectSearch> projectSearch(Actor actor, ProjectFilter filter) {
        Objects.requireNonNull(filter, "filter");
        UserId viewer = actor.user().map(User::id).orElse(null);
        Role memberAtLeast = filter.owned() ? Role.OWNER : filter.membership() ? Role.GUEST : null;
        if (viewer == null && memberAtLeast != null) {
            return Optional.empty();
        }
        return Optional.of(new ProjectSearch(viewer, actor.isAdmin(), filter.visibility(), filter.search(),
                memberAtLeast));
    }

    private List<ProjectView> viewsOf(Actor actor, List<Project> found) {
        UserId viewer = actor.user().map(User::id).orElse(null);
        Map<ProjectId, Role> roles = viewer == null ? Map.of()
                : projects.rolesOf(viewer, found.stream().map(Project::id).toList());
        return found.stream().map(p -> new ProjectView(p, roles.get(p.id()))).toList();
    }

    @Override
    public ProjectView getProject(Actor actor, ProjectRef project) {
        ProjectAccess access = gate.open(actor, project);
        return new ProjectView(access.project(), access.role());
    }
}
