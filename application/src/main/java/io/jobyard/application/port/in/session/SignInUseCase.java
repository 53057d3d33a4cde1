package io.jobyard.application.port.in.session;

import io.jobyard.domain.user.User;

import java.time.Instant;
import java.util.Objects;

/**
 * Signing in to the web pages and out again. A sign-in creates a server-side session in the database (any instance
 * serves it); the browser keeps only the session id, which is shown once here and stored nowhere but as a digest.
 */
public interface SignInUseCase {

    /** GitLab's answer to a wrong username or password (Devise's {@code invalid}), the same for both. */
    String INVALID_LOGIN = "Invalid login or password.";
    /** GitLab's answer to a blocked user's correct password. */
    String BLOCKED = "Your account has been blocked. Please contact your GitLab administrator if you think this is an "
            + "error.";

    /**
     * Signs in with a username and password.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException {@link #INVALID_LOGIN} for an unknown user, a wrong
     *                                                       password, a user without one, or a password locked by
     *                                                       10 wrong ones in a row (for 10 minutes, whatever is
     *                                                       tried); {@link #BLOCKED} for a user who is not active,
     *                                                       once the password is right
     */
    SignedIn withPassword(String username, String password);

    /**
     * Signs in with a personal access token. The session has the token's scopes and stops working when the token
     * does (expired, revoked).
     *
     * @throws io.jobyard.domain.error.UnauthorizedException as the API answers the token
     */
    SignedIn withAccessToken(String token);

    /** Ends the session; an unknown or ended one is no error. */
    void signOut(String sessionId);

    /**
     * @param sessionId the secret for the browser's cookie, shown once
     * @param expiresAt when the session ends if it is not used before (the cookie may carry it)
     */
    record SignedIn(String sessionId, User user, Instant expiresAt) {
        public SignedIn {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "SignedIn[user=" + user.username() + ", expiresAt=" + expiresAt + "]";
        }
    }
}
