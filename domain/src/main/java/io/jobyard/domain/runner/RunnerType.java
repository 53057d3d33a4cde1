package io.jobyard.domain.runner;

import java.util.Locale;

/** GitLab's runner types. */
public enum RunnerType {
    INSTANCE_TYPE, GROUP_TYPE, PROJECT_TYPE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
