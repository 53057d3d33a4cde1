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
 * @param description           GitLab's project description, or null when none was given (GitLab's {@code null})
 * @param defaultBranch         the default branch the creator named, or null: a project whose repository GitLab
 *                              cannot read has its instance's default branch name, {@value #GITLAB_DEFAULT_BRANCH}
 * @param repository            the git repository the project's jobs build, or null when it names none (the jobs
 *                              then run without a checkout)
 */
public record Project(
        ProjectId id,
        String name,
        String path,
        String namespacePath,
        Visibility visibility,
        boolean publicBuilds,
        boolean ciJobTokenScopeEnabled,
        Instant createdAt,
        String description,
        String defaultBranch,
        RepositoryUrl repository) {

    /** GitLab's {@code default_branch_name} when an instance sets none ({@code Gitlab::DefaultBranch}). */
    public static final String GITLAB_DEFAULT_BRANCH = "main";
    /** GitLab's limit on a project description ({@code Project::MAX_DESCRIPTION_LENGTH}-style column bound). */
    public static final int MAX_DESCRIPTION_LENGTH = TextLimit.PROJECT_DESCRIPTION.maxLength();

    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    /** A project with no description, default branch or repository named. */
    public Project(ProjectId id, String name, String path, String namespacePath, Visibility visibility,
                   boolean publicBuilds, boolean ciJobTokenScopeEnabled, Instant createdAt) {
        this(id, name, path, namespacePath, visibility, publicBuilds, ciJobTokenScopeEnabled, createdAt, null, null,
                null);
    }

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
        TextLimit.PROJECT_DESCRIPTION.require(description);
        TextLimit.DEFAULT_BRANCH.require(defaultBranch);
        if (defaultBranch != null && !isValidBranchName(defaultBranch)) {
            throw new IllegalArgumentException("default branch is not a valid branch name: " + defaultBranch);
        }
    }

    /** The branch {@code CI_DEFAULT_BRANCH} names: the one set, else GitLab's default for an empty repository. */
    public String effectiveDefaultBranch() {
        return defaultBranch == null ? GITLAB_DEFAULT_BRANCH : defaultBranch;
    }

    /** The same project with these descriptive facts. */
    public Project withFacts(String newDescription, String newDefaultBranch, RepositoryUrl newRepository) {
        return new Project(id, name, path, namespacePath, visibility, publicBuilds, ciJobTokenScopeEnabled, createdAt,
                newDescription, newDefaultBranch, newRepository);
    }

    /**
     * Git's {@code check-ref-format --branch} rules as far as a name alone can tell: no empty or dot-led
     * component, no "..", no "@{", no control characters, space, ~ ^ : ? * [ \, not ending in "/", "." or ".lock".
     */
    public static boolean isValidBranchName(String value) {
        if (value == null || value.isEmpty() || !TextLimit.DEFAULT_BRANCH.fits(value) || value.equals("@")
                || value.startsWith("-") || value.endsWith("/") || value.endsWith(".") || value.endsWith(".lock")
                || value.contains("..") || value.contains("@{") || value.contains("//")) {
            return false;
        }
        for (String component : value.split("/", -1)) {
            if (component.isEmpty() || component.startsWith(".") || component.endsWith(".lock")) {
                return false;
            }
        }
        return value.chars().noneMatch(c -> c < 0x20 || c == 0x7f || " ~^:?*[\\".indexOf(c) >= 0);
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
