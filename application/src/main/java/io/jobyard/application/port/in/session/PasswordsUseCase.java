package io.jobyard.application.port.in.session;

import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

/**
 * Users' passwords: set by an administrator (when creating a user, as {@code POST /users} takes {@code password}, or
 * later), or changed by the user who knows the current one. Stored only as a slow salted hash. A new password ends
 * the user's web sessions.
 */
public interface PasswordsUseCase {

    /**
     * {@code POST /users} with a password: the user and the password hash are stored together or not at all.
     *
     * @throws io.jobyard.domain.error.BadRequestException the password breaks {@link io.jobyard.domain.user.PasswordPolicy}
     *                                                     (checked before anything is stored), or the user is invalid
     * @throws io.jobyard.domain.error.ForbiddenException  not an administrator
     */
    User createUser(Actor actor, NewUser user, String password);

    /**
     * An administrator sets {@code user}'s password.
     *
     * @throws io.jobyard.domain.error.ForbiddenException  not an administrator
     * @throws io.jobyard.domain.error.NotFoundException   no such user ("404 User Not Found")
     * @throws io.jobyard.domain.error.BadRequestException the password breaks the policy
     */
    void setPassword(Actor actor, UserId user, String password);

    /**
     * The signed-in user changes their own password.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException anonymous
     * @throws io.jobyard.domain.error.BadRequestException   the current password is wrong ("Invalid password"), or the
     *                                                       new one breaks the policy
     */
    void changeOwnPassword(Actor actor, String currentPassword, String newPassword);
}
