package io.jobyard.application.port.out;

import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Each project's stored {@code .gitlab-ci.yml} text: what {@code POST /projects/:id/pipeline} runs when the request
 * brings no configuration (Jobyard holds no repositories to read it from).
 */
public interface CiConfigRepository {

    Optional<StoredCiConfig> find(ProjectId project);

    /** Stores the project's configuration, replacing the one it had. */
    void put(StoredCiConfig config);

    /** One project's configuration text and when it was last stored. */
    record StoredCiConfig(ProjectId projectId, String content, Instant updatedAt) {
        public StoredCiConfig {
            Objects.requireNonNull(projectId, "projectId");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }
    }
}
