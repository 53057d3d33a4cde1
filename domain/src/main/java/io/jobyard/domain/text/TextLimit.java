package io.jobyard.domain.text;

import io.jobyard.domain.error.TextTooLongException;

/**
 * The longest value of every bounded free text Jobyard stores: one table, checked where each value is made (the
 * domain records' constructors, the commands of use cases, the configuration lint), so an over-long value is a 400
 * before any work is done rather than a database error after it. Each limit is its column's size in the migrations
 * ({@code VARCHAR(n)}); a test in the JDBC adapter compares the two, so they cannot drift apart.
 *
 * <p>Lengths count UTF-16 code units ({@link String#length()}), as H2 counts them: a character outside the Basic
 * Multilingual Plane (an emoji) counts twice. PostgreSQL counts characters, so the limit is never above what either
 * database holds. Where GitLab validates a length (names, usernames, emails, token names, variable keys: 255) the
 * number is GitLab's, counted in characters there; refs, images and descriptions are limited by Jobyard's columns
 * only (GitLab stores them unbounded).
 *
 * <p>New stored text (a new column) gets a constant here and a call to {@link #require} where its value is made.
 */
public enum TextLimit {
    PROJECT_NAME("name", 255),
    PROJECT_PATH("path", 255),
    NAMESPACE_PATH("namespace_path", 2048),
    USERNAME("username", 255),
    USER_NAME("name", 255),
    EMAIL("email", 255),
    TOKEN_NAME("name", 255),
    RUNNER_DESCRIPTION("description", 2048),
    RUNNER_TAG("tag_list", 255),
    REF("ref", 1024),
    AUTHOR_NAME("author_name", 1024),
    AUTHOR_EMAIL("author_email", 1024),
    COMMITTER_NAME("committer_name", 1024),
    COMMITTER_EMAIL("committer_email", 1024),
    JOB_NAME("name", 255),
    STAGE("stage", 255),
    RESOURCE_GROUP("resource_group", 255),
    IMAGE("image", 2048),
    VARIABLE_KEY("key", 255),
    ARTIFACT_FILENAME("filename", 1024),
    PROJECT_DESCRIPTION("description", 2000),
    DEFAULT_BRANCH("default_branch", 255),
    REPOSITORY_URL("repository_url", 2048),
    HOOK_URL("url", 2048),
    HOOK_TOKEN("token", 2048),
    HOOK_NAME("name", 255),
    HOOK_DESCRIPTION("description", 2048),
    HOOK_BRANCH_FILTER("push_events_branch_filter", 2048);

    private final String attribute;
    private final int maxLength;

    TextLimit(String attribute, int maxLength) {
        this.attribute = attribute;
        this.maxLength = maxLength;
    }

    /** The name the API gives the value (the attribute GitLab's validation error names). */
    public String attribute() {
        return attribute;
    }

    /** The most UTF-16 code units the value may have. */
    public int maxLength() {
        return maxLength;
    }

    public boolean fits(String value) {
        return value == null || value.length() <= maxLength;
    }

    /**
     * @return {@code value} (null passes: whether a value is required is its record's business)
     * @throws TextTooLongException naming {@link #attribute()} when the value is longer than the limit
     */
    public String require(String value) {
        return require(value, attribute);
    }

    /** {@link #require(String)}, naming the value as the request did ({@code variables[0][key]}). */
    public String require(String value, String attributeName) {
        if (!fits(value)) {
            throw new TextTooLongException(attributeName, maxLength);
        }
        return value;
    }
}
