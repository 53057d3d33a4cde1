package io.jobyard.domain.artifact;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** GitLab's {@code file_format}: raw(1), zip(2), gzip(3). */
public enum ArtifactFormat {
    RAW(1), ZIP(2), GZIP(3);

    private final int code;

    ArtifactFormat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ArtifactFormat> fromWireName(String value) {
        return Arrays.stream(values()).filter(f -> f.wireName().equals(value)).findFirst();
    }
}
