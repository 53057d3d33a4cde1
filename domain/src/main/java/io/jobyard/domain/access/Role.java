package io.jobyard.domain.access;

import java.util.Arrays;
import java.util.Optional;

/** Project membership roles with GitLab's access levels. */
public enum Role {
    GUEST(10), REPORTER(20), DEVELOPER(30), MAINTAINER(40), OWNER(50);

    private final int accessLevel;

    Role(int accessLevel) {
        this.accessLevel = accessLevel;
    }

    public int accessLevel() {
        return accessLevel;
    }

    public boolean atLeast(Role other) {
        return accessLevel >= other.accessLevel;
    }

    public static Optional<Role> fromAccessLevel(int level) {
        return Arrays.stream(values()).filter(r -> r.accessLevel == level).findFirst();
    }
}
