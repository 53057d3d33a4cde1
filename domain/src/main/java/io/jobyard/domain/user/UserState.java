package io.jobyard.domain.user;

import java.util.Locale;

/**
 * GitLab's user states; only active users authenticate. An administrator moves users between them: {@code block}
 * from active or deactivated, {@code unblock} back to active, {@code deactivate} an active user who has been dormant,
 * {@code activate} a deactivated one (a blocked user must be unblocked instead).
 */
public enum UserState {
    ACTIVE, BLOCKED, DEACTIVATED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
