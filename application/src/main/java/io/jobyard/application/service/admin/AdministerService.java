package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.AdministerUseCase;
import io.jobyard.application.port.out.ProjectRepository.Membership;
import io.jobyard.application.port.out.ProjectRepository.ProjectSearch;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository.UserSearch;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.error.UnprocessableException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenLifetime;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Users, tokens, projects and members. Admins may do everything; a user may create projects in their own namespace
 * (Jobyard has no groups to grant more); project Maintainers manage members, and only Owners (or admins) grant or take
 * away the Owner role. Tokens for any user only an administrator creates (a user's own narrow tokens, and the rest of
 * a token's life, are {@link AccessTokensService}'s).
 */
public final class AdministerService implements AdministerUseCase {
    /** GitLab's prefix for personal access tokens; secret scanners recognise it. */
    public static final String TOKEN_PREFIX = TokenIssuer.PREFIX;

    private final UserRepository users;
    private final ProjectRepository projects;
    private final ProjectGate gate;
    private final Transactor transactor;
    private final Clock clock;
    private final TokenLifetime lifetime;
    private final TokenIssuer issuer;

    /** With GitLab's token lifetime: 365 days at most. */
    public AdministerService(UserRepository users, ProjectRepository projects, Transactor transactor, Clock clock) {
        this(users, projects, transactor, clock, TokenLifetime.DEFAULT);
    }

    public AdministerService(UserRepository users, ProjectRepository projects, Transactor transactor, Clock clock,
                             TokenLifetime lifetime) {
        this.users = Objects.requireNonNull(users, "users");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.gate = new ProjectGate(projects);
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.issuer = new TokenIssuer(users);
    }

    @Override
    public User createUser(Actor actor, NewUser user) {
        ActorChecks.requireWriter(actor);
        if (!actor.isAdmin()) {
            throw new ForbiddenException();
        }
        return transactor.inTransaction(() -> users.insert(valid(() -> new User(users.nextId(), user.username(),
                user.name(), user.email(), user.admin(), false, UserState.ACTIVE, clock.instant()))));
    }

    /**
     * GitLab's {@code POST /users/:user_id/personal_access_tokens}: administrators only ({@code authenticated_as_admin!}),
     * since GitLab 13.6; before that any user could mint {@code api} tokens for themself, which made a leaked token
     * a permanent one. Without {@code expires_at} the token lives as long as {@link TokenLifetime} allows.
     */
    @Override
    public IssuedToken createToken(Actor actor, UserId user, String name, Set<TokenScope> scopes, LocalDate expiresAt) {
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
            Project stored = projects.insert(valid(() -> new Project(projects.nextId(), project.name(),
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
        requireMaintainer(access);
        if (changes.visibility().isPresent() && changes.visibility().get() != access.project().visibility()
                && !isOwner(access)) {
            throw new ForbiddenException();
        }
        return transactor.inTransaction(() -> {
            Project current = projects.findById(access.project().id())
                    .orElseThrow(() -> NotFoundException.resource("Project"));
            Project changed = valid(() -> new Project(current.id(), changes.name().orElse(current.name()),
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
    public User putMember(Actor actor, ProjectRef project, UserId user, Role role) {
        Objects.requireNonNull(role, "role");
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        requireMaintainer(access);
        User member = users.findById(user).orElseThrow(() -> NotFoundException.resource("User"));
        transactor.run(() -> {
            boolean touchesOwner = role == Role.OWNER
                    || projects.roleOf(access.project().id(), member.id()).orElse(null) == Role.OWNER;
            if (touchesOwner && !isOwner(access)) {
                throw new ForbiddenException();
            }
            projects.putMember(access.project().id(), member.id(), role);
        });
        return member;
    }

    @Override
    public void removeMember(Actor actor, ProjectRef project, UserId user) {
        UserId self = ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        // Anyone may leave a project; removing others takes a Maintainer.
        if (!self.equals(user)) {
            requireMaintainer(access);
        }
        transactor.run(() -> {
            Role current = projects.roleOf(access.project().id(), user)
                    .orElseThrow(() -> NotFoundException.resource("Member"));
            if (current == Role.OWNER && !self.equals(user) && !isOwner(access)) {
                throw new ForbiddenException();
            }
            projects.removeMember(access.project().id(), user);
        });
    }

    @Override
    public ListPage<User> listUsers(Actor actor, UserFilter filter, Pagination.Offset page) {
        Objects.requireNonNull(filter, "filter");
        boolean signedIn = actor.user().isPresent();
        boolean namesOne = filter.username() != null && !filter.username().isBlank();
        if (!signedIn && !namesOne) {
            throw new ForbiddenException("Not authorized to access /api/v4/users");
        }
        UserSearch search = new UserSearch(filter.username(), filter.search(), actor.isAdmin(), filter.activeOnly());
        return transactor.inTransaction(() -> new ListPage<>(users.search(search, page.offset(), page.perPage()),
                users.count(search), page));
    }

    @Override
    public User getUser(Actor actor, UserId id) {
        if (actor.user().isEmpty()) {
            throw new ForbiddenException("Not authorized!");
        }
        return users.findById(id).orElseThrow(() -> NotFoundException.resource("User"));
    }

    @Override
    public User currentUser(Actor actor) {
        return actor.user().orElseThrow(() -> new UnauthorizedException("401 Unauthorized"));
    }

    @Override
    public ListPage<ProjectView> listProjects(Actor actor, ProjectFilter filter, Pagination.Offset page) {
        Objects.requireNonNull(filter, "filter");
        UserId viewer = actor.user().map(User::id).orElse(null);
        Role memberAtLeast = filter.owned() ? Role.OWNER : filter.membership() ? Role.GUEST : null;
        if (viewer == null && memberAtLeast != null) {
            // Nobody is a member of anything: GitLab answers such a listing empty.
            return new ListPage<>(List.of(), 0, page);
        }
        ProjectSearch search = new ProjectSearch(viewer, actor.isAdmin(), filter.visibility(), filter.search(),
                memberAtLeast);
        return transactor.inTransaction(() -> {
            List<Project> found = projects.search(search, page.offset(), page.perPage());
            Map<ProjectId, Role> roles = viewer == null ? Map.of()
                    : projects.rolesOf(viewer, found.stream().map(Project::id).toList());
            List<ProjectView> views = found.stream().map(p -> new ProjectView(p, roles.get(p.id()))).toList();
            return new ListPage<>(views, projects.count(search), page);
        });
    }

    @Override
    public ProjectView getProject(Actor actor, ProjectRef project) {
        ProjectAccess access = gate.open(actor, project);
        return new ProjectView(access.project(), access.role());
    }

    @Override
    public ListPage<Member> listMembers(Actor actor, ProjectRef project, MemberFilter filter,
                                        Pagination.Offset page) {
        Objects.requireNonNull(filter, "filter");
        requireSignedIn(actor);
        ProjectAccess access = gate.open(actor, project);
        // A project's members are few: they are filtered here, with their users read in one query.
        List<Membership> memberships = projects.members(access.project().id()).stream()
                .filter(m -> filter.userIds().isEmpty() || filter.userIds().contains(m.userId()))
                .toList();
        Map<UserId, User> byId = users.findByIds(memberships.stream().map(Membership::userId).toList());
        String query = filter.query() == null || filter.query().isBlank() ? null
                : filter.query().toLowerCase(Locale.ROOT);
        List<Member> matching = memberships.stream()
                .filter(m -> byId.containsKey(m.userId()))
                .map(m -> new Member(byId.get(m.userId()), m.role()))
                .filter(m -> query == null || m.user().username().toLowerCase(Locale.ROOT).contains(query)
                        || m.user().name().toLowerCase(Locale.ROOT).contains(query))
                .toList();
        List<Member> items = matching.stream().skip(page.offset()).limit(page.perPage()).toList();
        return new ListPage<>(items, matching.size(), page);
    }

    @Override
    public Member getMember(Actor actor, ProjectRef project, UserId user) {
        requireSignedIn(actor);
        ProjectAccess access = gate.open(actor, project);
        Role role = projects.roleOf(access.project().id(), user)
                .orElseThrow(() -> NotFoundException.record("Member"));
        User member = users.findById(user).orElseThrow(() -> NotFoundException.record("Member"));
        return new Member(member, role);
    }

    /** GitLab's members API is {@code authenticate!}: no identity is 401 even on public projects. */
    private static void requireSignedIn(Actor actor) {
        if (actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
    }

    private static void requireMaintainer(ProjectAccess access) {
        if (!access.isMaintainer()) {
            throw new ForbiddenException();
        }
    }

    private static boolean isOwner(ProjectAccess access) {
        return access.actor().isAdmin() || access.role() == Role.OWNER;
    }

    /** Builds a record whose constructor validates, answering invalid input as a 400 with the reason. */
    private static <T> T valid(Supplier<T> construction) {
        try {
            return construction.get();
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new BadRequestException(invalid.getMessage());
        }
    }
}
