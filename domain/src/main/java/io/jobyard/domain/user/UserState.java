package io.jobyard.domain.user;

import java.util.Locale;

/** GitLab's user states; only active users authenticate. */
public enum UserState {
    ACTIVE, BLOCKED, DEACTIVATED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
