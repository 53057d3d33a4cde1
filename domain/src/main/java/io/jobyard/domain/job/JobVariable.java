package io.jobyard.domain.job;

import io.jobyard.domain.text.TextLimit;

import java.util.Objects;
import java.util.regex.Pattern;

/** A variable attached to a job (from the configuration, or given when a manual job is played). */
public record JobVariable(String key, String value, boolean masked, boolean file) {
    /** Compiled once: this check runs for every row read and every request. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");

    public JobVariable {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        TextLimit.VARIABLE_KEY.require(key);
        if (key.isEmpty() || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("variable key must be 1-255 characters of A-Z, a-z, 0-9 and _: " + key);
        }
    }

    public static JobVariable of(String key, String value) {
        return new JobVariable(key, value, false, false);
    }
}
