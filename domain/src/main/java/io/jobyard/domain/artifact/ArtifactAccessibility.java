package io.jobyard.domain.artifact;

import java.util.Locale;
import java.util.Optional;

/**
 * Who may download a job's artifacts ({@code artifacts:public} / {@code artifacts:access}). GitLab stores public,
 * private and none; {@code access: maintainer} adds a fourth level.
 */
public enum ArtifactAccessibility {
    /** Anyone who can read the job ({@code access: all}, the default). */
    PUBLIC,
    /** Developers and above ({@code artifacts:public: false} / {@code access: developer}). */
    PRIVATE,
    /** Maintainers and above ({@code access: maintainer}). */
    MAINTAINER,
    /** Nobody through the API ({@code access: none}). */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the upload parameter or the configuration: public/private/none, or all/developer/maintainer/none. */
    public static Optional<ArtifactAccessibility> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "public", "all", "true" -> Optional.of(PUBLIC);
            case "private", "developer", "false" -> Optional.of(PRIVATE);
            case "maintainer" -> Optional.of(MAINTAINER);
            case "none" -> Optional.of(NONE);
            default -> Optional.empty();
        };
    }
}
