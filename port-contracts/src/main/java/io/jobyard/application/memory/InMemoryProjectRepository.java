package io.jobyard.application.memory;

import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.UserId;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Projects and memberships in memory; thread-safe, transactional with its {@link InMemoryTransactor}. */
public final class InMemoryProjectRepository implements ProjectRepository {
    private record MemberKey(ProjectId project, UserId user) {
    }

    private static final Comparator<MemberKey> MEMBER_ORDER =
            Comparator.comparing(MemberKey::project).thenComparing(MemberKey::user);

    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    private final Rows<ProjectId, Project> projects;
    private final Rows<MemberKey, Role> members;

    /** A repository with its own lock, for use without transactions. */
    public InMemoryProjectRepository() {
        this(new InMemoryTransactor());
    }

    public InMemoryProjectRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.projects = new Rows<>(transactor, Comparator.naturalOrder());
        this.members = new Rows<>(transactor, MEMBER_ORDER);
    }

    @Override
    public ProjectId nextId() {
        return ProjectId.of(ids.incrementAndGet());
    }

    @Override
    public Project insert(Project project) {
        Objects.requireNonNull(project, "project");
        return transactor.accessWrite(() -> {
            if (projects.contains(project.id())) {
                throw new ConflictException("project " + project.id() + " already exists");
            }
            requireFreePath(project);
            projects.put(project.id(), project);
            return project;
        });
    }

    @Override
    public Project update(Project project) {
        Objects.requireNonNull(project, "project");
        return transactor.accessWrite(() -> {
            if (!projects.contains(project.id())) {
                throw NotFoundException.record("Project");
            }
            requireFreePath(project);
            projects.put(project.id(), project);
            return project;
        });
    }

    private void requireFreePath(Project project) {
        String path = normalized(project.fullPath());
        boolean taken = projects.all().stream()
                .anyMatch(p -> !p.id().equals(project.id()) && normalized(p.fullPath()).equals(path));
        if (taken) {
            throw new ConflictException("Project path has already been taken");
        }
    }

    @Override
    public Optional<Project> findById(ProjectId id) {
        return transactor.locked(() -> projects.get(id));
    }

    @Override
    public Optional<Project> findByFullPath(String fullPath) {
        String wanted = normalized(fullPath);
        return transactor.locked(() -> projects.all().stream()
                .filter(p -> normalized(p.fullPath()).equals(wanted))
                .findFirst());
    }

    @Override
    public List<Project> list(long offset, int limit) {
        return transactor.locked(() -> Paging.page(projects.all().stream(), offset, limit));
    }

    @Override
    public List<Project> search(ProjectSearch search, long offset, int limit) {
        return transactor.locked(() -> Paging.page(projects.descending().stream().filter(p -> matches(search, p)),
                offset, limit));
    }

    @Override
    public List<Project> searchBefore(ProjectSearch search, ProjectId beforeId, int limit) {
        return transactor.locked(() -> Paging.page(projects.descending().stream()
                .filter(p -> beforeId == null || p.id().value() < beforeId.value())
                .filter(p -> matches(search, p)), 0, limit));
    }

    @Override
    public long count(ProjectSearch search) {
        return transactor.locked(() -> projects.all().stream().filter(p -> matches(search, p)).count());
    }

    private boolean matches(ProjectSearch search, Project project) {
        Optional<Role> role = search.viewer() == null ? Optional.empty()
                : members.get(new MemberKey(project.id(), search.viewer()));
        boolean visible = search.everything() || project.visibility() == Visibility.PUBLIC
                || search.viewer() != null && (project.visibility() == Visibility.INTERNAL || role.isPresent());
        if (!visible) {
            return false;
        }
        if (search.memberAtLeast() != null && !role.map(r -> r.atLeast(search.memberAtLeast())).orElse(false)) {
            return false;
        }
        if (search.visibility() != null && project.visibility() != search.visibility()) {
            return false;
        }
        if (search.text() == null) {
            return true;
        }
        String text = normalized(search.text());
        return normalized(project.name()).contains(text) || normalized(project.path()).contains(text);
    }

    @Override
    public Map<ProjectId, Role> rolesOf(UserId user, Collection<ProjectId> ids) {
        return transactor.locked(() -> {
            Map<ProjectId, Role> roles = new LinkedHashMap<>();
            for (ProjectId id : ids) {
                members.get(new MemberKey(id, user)).ifPresent(role -> roles.put(id, role));
            }
            return roles;
        });
    }

    @Override
    public Optional<Role> roleOf(ProjectId project, UserId user) {
        return transactor.locked(() -> members.get(new MemberKey(project, user)));
    }

    @Override
    public void putMember(ProjectId project, UserId user, Role role) {
        Objects.requireNonNull(role, "role");
        transactor.accessWrite(() -> {
            members.put(new MemberKey(project, user), role);
            return null;
        });
    }

    @Override
    public boolean removeMember(ProjectId project, UserId user) {
        return transactor.accessWrite(() -> members.remove(new MemberKey(project, user)));
    }

    @Override
    public int removeMemberships(UserId user) {
        return transactor.accessWrite(() -> {
            List<MemberKey> keys = members.view().keySet().stream().filter(k -> k.user().equals(user)).toList();
            keys.forEach(members::remove);
            return keys.size();
        });
    }

    @Override
    public List<Membership> members(ProjectId project) {
        return transactor.locked(() -> members.view().entrySet().stream()
                .filter(e -> e.getKey().project().equals(project))
                .map(e -> new Membership(project, e.getKey().user(), e.getValue()))
                .toList());
    }

    private static String normalized(String path) {
        return path.toLowerCase(Locale.ROOT);
    }
}
