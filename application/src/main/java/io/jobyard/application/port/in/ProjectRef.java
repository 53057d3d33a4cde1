package io.jobyard.application.port.in;

import io.jobyard.domain.project.ProjectId;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a request names a project ({@code :id}): by number, or by URL-decoded full path ({@code group/sub/project}).
 */
public sealed interface ProjectRef {
    /** What {@link #parse} reads as an id; compiled once, as every request names a project. */
    Pattern NUMERIC_ID = Pattern.compile("-?\\d{1,18}");

    record ById(ProjectId id) implements ProjectRef {
        public ById {
            Objects.requireNonNull(id, "id");
        }
    }

    record ByPath(String fullPath) implements ProjectRef {
        public ByPath {
            Objects.requireNonNull(fullPath, "fullPath");
        }
    }

    static ProjectRef of(ProjectId id) {
        return new ById(id);
    }

    /**
     * GitLab's rule: all digits (optionally negative) is an id; text containing a slash is a path; anything else names
     * no project (it resolves to "404 Project Not Found").
     */
    static ProjectRef parse(String value) {
        Objects.requireNonNull(value, "value");
        if (NUMERIC_ID.matcher(value).matches()) {
            long id = Long.parseLong(value);
            return id > 0 ? new ById(ProjectId.of(id)) : new ByPath("");
        }
        return new ByPath(value.contains("/") ? value : "");
    }
}
