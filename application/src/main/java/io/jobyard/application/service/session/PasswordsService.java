package io.jobyard.application.service.session;

import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.port.out.PasswordHasher;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.user.PasswordPolicy;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.time.Clock;
import java.util.Objects;

/**
 * Passwords, checked against {@link PasswordPolicy} and hashed before any transaction begins (hashing is slow on
 * purpose, and no connection should wait for it). Creating a user with a password goes through the administration use
 * case inside one transaction with the hash, so a user never exists without the password it was created with.
 */
public final class PasswordsService implements PasswordsUseCase {
    private final UsersUseCase userAdmin;
    private final UserRepository users;
    private final PasswordRepository passwords;
    private final WebSessionRepository sessions;
    private final PasswordHasher hasher;
    private final Transactor transactor;
    private final Clock clock;

    public PasswordsService(UsersUseCase userAdmin, UserRepository users, PasswordRepository passwords,
                            WebSessionRepository sessions, PasswordHasher hasher, Transactor transactor, Clock clock) {
        this.userAdmin = Objects.requireNonNull(userAdmin, "userAdmin");
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public User createUser(Actor actor, NewUser user, String password) {
        if (!isWritingAdmin(actor)) {
            // Refused by the administration use case with its own 401/403, before any hashing work is spent.
            return userAdmin.createUser(actor, user);
        }
        PasswordPolicy.check(password);
        String hash = hasher.hash(password);
        return transactor.inTransaction(() -> {
            User created = userAdmin.createUser(actor, user);
            passwords.save(created.id(), hash, clock.instant());
            return created;
        });
    }

    @Override
    public void setPassword(Actor actor, UserId user, String password) {
        if (actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (!isWritingAdmin(actor)) {
            throw new ForbiddenException();
        }
        users.findById(user).orElseThrow(() -> NotFoundException.resource("User"));
        PasswordPolicy.check(password);
        replace(user, hasher.hash(password));
    }

    @Override
    public void changeOwnPassword(Actor actor, String currentPassword, String newPassword) {
        User self = actor.user().orElseThrow(() -> new UnauthorizedException("401 Unauthorized"));
        if (!actor.canWrite()) {
            throw new ForbiddenException();
        }
        String current = passwords.findHash(self.id()).orElse(null);
        if (current == null || currentPassword == null || !hasher.verify(currentPassword, current)) {
            throw new BadRequestException("Invalid password");
        }
        PasswordPolicy.check(newPassword);
        replace(self.id(), hasher.hash(newPassword));
    }

    /** The new hash, and every session of the user ended: whoever knew the old password is signed out. */
    private void replace(UserId user, String hash) {
        transactor.run(() -> {
            passwords.save(user, hash, clock.instant());
            sessions.deleteAllOf(user);
        });
    }

    private static boolean isWritingAdmin(Actor actor) {
        return actor.isAdmin() && actor.canWrite();
    }
}
