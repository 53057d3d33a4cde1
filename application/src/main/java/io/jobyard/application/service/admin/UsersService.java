package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository.UserSearch;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Users: an administrator creates them, everyone signed in reads them, and GitLab's user state changes, with its
 * refusals word for word. Each state change reads the user and writes the new state in one transaction.
 */
public final class UsersService implements UsersUseCase {
    static final String CANNOT_BLOCK_SELF = "The API initiating user cannot be blocked by the API";
    static final String CANNOT_UNBLOCK_DEACTIVATED = "Deactivated users cannot be unblocked by the API";
    static final String BLOCKED_CANNOT_BE_DEACTIVATED = "Error occurred. A blocked user cannot be deactivated";
    static final String UNBLOCK_BEFORE_ACTIVATING = "A blocked user must be unblocked to be activated";
    static final String LAST_ADMINISTRATOR = "User cannot be removed while they are the only active administrator";
    /** GitLab's {@code deactivate_dormant_users_period} default. */
    static final int DORMANT_DAYS = 90;
    static final String RECENTLY_ACTIVE = "The user you are trying to deactivate has been active in the past "
            + DORMANT_DAYS + " days and cannot be deactivated";

    private final UserRepository users;
    private final ProjectRepository projects;
    private final Transactor transactor;
    private final Clock clock;

    public UsersService(UserRepository users, ProjectRepository projects, Transactor transactor, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public User createUser(Actor actor, NewUser user) {
        ActorChecks.requireWriter(actor);
        if (!actor.isAdmin()) {
            throw new ForbiddenException();
        }
        return transactor.inTransaction(() -> users.insert(AdminRules.valid(() -> new User(users.nextId(), user.username(),
                user.name(), user.email(), user.admin(), false, UserState.ACTIVE, clock.instant()))));
    }

    @Override
    public ListPage<User> listUsers(Actor actor, UserFilter filter, Pagination.Offset page) {
        UserSearch search = userSearch(actor, filter);
        return transactor.inTransaction(() -> new ListPage<>(users.search(search, page.offset(), page.perPage()),
                users.count(search), page));
    }

    @Override
    public KeysetPage<User> listUsers(Actor actor, UserFilter filter, Pagination.Keyset page) {
        UserSearch search = userSearch(actor, filter);
        UserId before = page.after() == null ? null : UserId.of(page.after().id());
        return KeysetPage.of(users.searchBefore(search, before, page.perPage() + 1), page.perPage());
    }

    private static UserSearch userSearch(Actor actor, UserFilter filter) {
        Objects.requireNonNull(filter, "filter");
        boolean signedIn = actor.user().isPresent();
        boolean namesOne = filter.username() != null && !filter.username().isBlank();
        if (!signedIn && !namesOne) {
            throw new ForbiddenException("Not authorized to access /api/v4/users");
        }
        return new UserSearch(filter.username(), filter.search(), actor.isAdmin(), filter.activeOnly());
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
    public Outcome block(Actor actor, UserId id) {
        UserId self = requireAdministrator(actor);
        return change(id, user -> {
            if (user.id().equals(self)) {
                throw new ForbiddenException(CANNOT_BLOCK_SELF);
            }
            return user.state() == UserState.BLOCKED ? Outcome.ALREADY : set(user, UserState.BLOCKED);
        });
    }

    @Override
    public Outcome unblock(Actor actor, UserId id) {
        requireAdministrator(actor);
        return change(id, user -> switch (user.state()) {
            case DEACTIVATED -> throw new ForbiddenException(CANNOT_UNBLOCK_DEACTIVATED);
            case BLOCKED -> set(user, UserState.ACTIVE);
            case ACTIVE -> Outcome.NO_TRANSITION;
        });
    }

    @Override
    public Outcome deactivate(Actor actor, UserId id) {
        requireAdministrator(actor);
        return change(id, user -> switch (user.state()) {
            case DEACTIVATED -> Outcome.ALREADY;
            case BLOCKED -> throw ForbiddenException.withMessage(BLOCKED_CANNOT_BE_DEACTIVATED);
            case ACTIVE -> {
                if (activeSince(user.id(), clock.instant().minus(Duration.ofDays(DORMANT_DAYS)))) {
                    throw ForbiddenException.withMessage(RECENTLY_ACTIVE);
                }
                yield set(user, UserState.DEACTIVATED);
            }
        });
    }

    @Override
    public Outcome activate(Actor actor, UserId id) {
        requireAdministrator(actor);
        return change(id, user -> switch (user.state()) {
            case BLOCKED -> throw new ForbiddenException(UNBLOCK_BEFORE_ACTIVATING);
            case DEACTIVATED -> set(user, UserState.ACTIVE);
            case ACTIVE -> Outcome.NO_TRANSITION;
        });
    }

    @Override
    public void delete(Actor actor, UserId id) {
        requireAdministrator(actor);
        transactor.run(() -> {
            User user = existing(id);
            if (user.admin() && user.active() && !anotherActiveAdministrator(id)) {
                throw new ConflictException(LAST_ADMINISTRATOR);
            }
            projects.removeMemberships(id);
            users.delete(id);
        });
    }

    /** Read by pages in id order: the first administrator (root) is usually on the first. */
    private boolean anotherActiveAdministrator(UserId except) {
        int pageSize = 500;
        for (long offset = 0; ; offset += pageSize) {
            List<User> page = users.list(offset, pageSize);
            if (page.stream().anyMatch(other -> other.admin() && other.active() && !other.id().equals(except))) {
                return true;
            }
            if (page.size() < pageSize) {
                return false;
            }
        }
    }

    /**
     * Jobyard's users act only through their tokens, so a user's last activity is the last recorded use of any of
     * them (GitLab's {@code last_activity_on}, which it also moves on web sign-ins).
     */
    private boolean activeSince(UserId user, Instant since) {
        return users.tokensOf(user).stream().map(AccessToken::lastUsedAt)
                .anyMatch(used -> used != null && !used.isBefore(since));
    }

    private Outcome change(UserId id, Function<User, Outcome> decision) {
        return transactor.inTransaction(() -> decision.apply(existing(id)));
    }

    private Outcome set(User user, UserState state) {
        users.update(user.withState(state));
        return Outcome.CHANGED;
    }

    private User existing(UserId id) {
        return users.findById(id).orElseThrow(() -> NotFoundException.resource("User"));
    }

    /** GitLab's {@code authenticated_as_admin!}. */
    private static UserId requireAdministrator(Actor actor) {
        UserId self = ActorChecks.requireWriter(actor);
        if (!actor.isAdmin()) {
            throw new ForbiddenException();
        }
        return self;
    }
}
