package io.jobyard.domain.project;

import io.jobyard.domain.text.TextLimit;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A project: the unit that owns pipelines and jobs and decides access.
 *
 * @param namespacePath         the group path ({@code group/sub}) or the owner's username
 * @param publicBuilds          GitLab's "Public pipelines" ({@code public_jobs} in the API)
 * @param ciJobTokenScopeEnabled the outbound job-token scope setting, serialized in the Job entity
 */
public record Project(
        ProjectId id,
        String name,
        String path,
        String namespacePath,
        Visibility visibility,
        boolean publicBuilds,
        boolean ciJobTokenScopeEnabled,
        Instant createdAt) {

    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    public Project {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(createdAt, "createdAt");
        // Lengths first, as GitLab's length validations come before its format ones.
        TextLimit.PROJECT_NAME.require(name);
        TextLimit.PROJECT_PATH.require(path);
        TextLimit.NAMESPACE_PATH.require(namespacePath);
        requireValidPath(path, "path");
        for (String segment : Objects.requireNonNull(namespacePath, "namespacePath").split("/", -1)) {
            requireValidPath(segment, "namespace path");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("name can't be blank");
        }
    }

    /** {@code group/sub/project}: what {@code :id} may name instead of the number. */
    public String fullPath() {
        return namespacePath + "/" + path;
    }

    public static boolean isValidPathSegment(String value) {
        return value != null && value.length() <= 255 && PATH_SEGMENT.matcher(value).matches()
                && !value.endsWith(".git") && !value.endsWith(".atom");
    }

    private static void requireValidPath(String value, String what) {
        if (!isValidPathSegment(value)) {
            throw new IllegalArgumentException(what + " can contain only letters, digits, '_', '-' and '.', "
                    + "cannot start with '-' or '.', and cannot end in '.git' or '.atom': " + value);
        }
    }
}
