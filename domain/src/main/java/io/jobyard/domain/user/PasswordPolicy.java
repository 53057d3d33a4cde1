package io.jobyard.domain.user;

import io.jobyard.domain.error.BadRequestException;

/**
 * What a password must be, as GitLab's defaults have it: at least 8 characters ({@code minimum_password_length}) and
 * at most 128 ({@code Devise.password_length}). Characters are counted as code points, so a password of emoji is as
 * long as it looks. Nothing else is demanded (GitLab's complexity rules are off by default).
 */
public final class PasswordPolicy {
    public static final int MINIMUM_LENGTH = 8;
    public static final int MAXIMUM_LENGTH = 128;

    private PasswordPolicy() {
    }

    /**
     * @throws BadRequestException with GitLab's wording ("password is too short (minimum is 8 characters)") when the
     *                             password is missing, too short or too long
     */
    public static void check(String password) {
        if (password == null || password.isEmpty()) {
            throw new BadRequestException("password is missing");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MINIMUM_LENGTH) {
            throw new BadRequestException("password is too short (minimum is " + MINIMUM_LENGTH + " characters)");
        }
        if (length > MAXIMUM_LENGTH) {
            throw new BadRequestException("password is too long (maximum is " + MAXIMUM_LENGTH + " characters)");
        }
    }
}
