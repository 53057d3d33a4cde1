package io.jobyard.application.service.admin;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.out.ProjectRepository.Membership;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A project's members. Project Maintainers (and admins) manage members; only Owners (or admins) grant or take away the
 * Owner role; anyone may leave a project.
 */
public final class MembersService implements MembersUseCase {
    private final UserRepository users;
    private final ProjectRepository projects;
    private final ProjectGate gate;
    private final Transactor transactor;

    public MembersService(UserRepository users, ProjectRepository projects, ProjectGate gate, Transactor transactor) {
        this.users = Objects.requireNonNull(users, "users");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
    }

    @Override
    public User putMember(Actor actor, ProjectRef project, UserId user, Role role) {
        Objects.requireNonNull(role, "role");
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        AdminRules.requireMaintainer(access);
        User member = users.findById(user).orElseThrow(() -> NotFoundException.resource("User"));
        transactor.run(() -> {
            boolean touchesOwner = role == Role.OWNER
                    || projects.roleOf(access.project().id(), member.id()).orElse(null) == Role.OWNER;
            if (touchesOwner && !AdminRules.isOwner(access)) {
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
            AdminRules.requireMaintainer(access);
        }
        transactor.run(() -> {
            Role current = projects.roleOf(access.project().id(), user)
                    .orElseThrow(() -> NotFoundException.resource("Member"));
            if (current == Role.OWNER && !self.equals(user) && !AdminRules.isOwner(access)) {
                throw new ForbiddenException();
            }
            projects.removeMember(access.project().id(), user);
        });
    }

    @Override
    public ListPage<Member> listMembers(Actor actor, ProjectRef project, MemberFilter filter,
                                        Pagination.Offset page) {
        List<Member> matching = members(actor, project, filter);
        List<Member> items = matching.stream().skip(page.offset()).limit(page.perPage()).toList();
        return new ListPage<>(items, matching.size(), page);
    }

    /** By user id, ascending: the members whose user id is above the cursor's. */
    @Override
    public KeysetPage<Member> listMembers(Actor actor, ProjectRef project, MemberFilter filter,
                                          Pagination.Keyset page) {
        long after = page.after() == null ? 0 : page.after().id();
        return KeysetPage.of(members(actor, project, filter).stream()
                .filter(m -> m.user().id().value() > after).limit(page.perPage() + 1L).toList(), page.perPage());
    }

    private List<Member> members(Actor actor, ProjectRef project, MemberFilter filter) {
        Objects.requireNonNull(filter, "filter");
        AdminRules.requireSignedIn(actor);
        ProjectAccess access = gate.open(actor, project);
        // A project's members are few: they are filtered here, with their users read in one query.
        List<Membership> memberships = projects.members(access.project().id()).stream()
                .filter(m -> filter.userIds().isEmpty() || filter.userIds().contains(m.userId()))
                .toList();
        Map<UserId, User> byId = users.findByIds(memberships.stream().map(Membership::userId).toList());
        String query = filter.query() == null || filter.query().isBlank() ? null
                : filter.query().toLowerCase(Locale.ROOT);
        return memberships.stream()
                .filter(m -> byId.containsKey(m.userId()))
                .map(m -> new Member(byId.get(m.userId()), m.role()))
                .filter(m -> query == null || m.user().username().toLowerCase(Locale.ROOT).contains(query)
                        || m.user().name().toLowerCase(Locale.ROOT).contains(query))
                .toList();
    }

    @Override
    public Member getMember(Actor actor, ProjectRef project, UserId user) {
        AdminRules.requireSignedIn(actor);
        ProjectAccess access = gate.open(actor, project);
        Role role = projects.roleOf(access.project().id(), user)
                .orElseThrow(() -> NotFoundException.record("Member"));
        User member = users.findById(user).orElseThrow(() -> NotFoundException.record("Member"));
        return new Member(member, role);
    }
}
