package io.jobyard.domain.pipeline;

import io.jobyard.domain.text.TextLimit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The commit a pipeline runs for. Jobyard holds no repositories, so the creator supplies it; dates keep the
 * committer's offset as GitLab serializes them.
 */
public record Commit(
        String sha,
        String title,
        String message,
        String authorName,
        String authorEmail,
        OffsetDateTime authoredDate,
        String committerName,
        String committerEmail,
        OffsetDateTime committedDate,
        List<String> parentIds) {
    /** Compiled once: this check runs for every row read and every request. */
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");


    public Commit {
        Objects.requireNonNull(sha, "sha");
        if (!SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("sha must be 40 or 64 lowercase hex characters");
        }
        TextLimit.AUTHOR_NAME.require(authorName);
        TextLimit.AUTHOR_EMAIL.require(authorEmail);
        TextLimit.COMMITTER_NAME.require(committerName);
        TextLimit.COMMITTER_EMAIL.require(committerEmail);
        title = title == null ? "" : title;
        message = message == null ? title : message;
        parentIds = parentIds == null ? List.of() : List.copyOf(parentIds);
    }

    /** A commit known only by its sha. */
    public static Commit ofSha(String sha, OffsetDateTime when) {
        return new Commit(sha, "", "", null, null, when, null, null, when, List.of());
    }

    /** Whether {@code value} is a full SHA-1 or SHA-256 object name in lowercase hex. */
    public static boolean isSha(String value) {
        return value != null && SHA.matcher(value).matches();
    }

    public String shortId() {
        return sha.substring(0, 8);
    }
}
