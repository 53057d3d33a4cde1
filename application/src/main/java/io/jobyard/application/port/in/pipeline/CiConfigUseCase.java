package io.jobyard.application.port.in.pipeline;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;

/**
 * A project's stored {@code .gitlab-ci.yml} ({@code GET}/{@code PUT /projects/:id/ci_config}, Jobyard's route): the
 * configuration pipeline creation runs when the request brings none.
 */
public interface CiConfigUseCase {

    /**
     * @return the stored text
     * @throws io.jobyard.domain.error.NotFoundException "404 CI config Not Found" when the project has none
     */
    String read(Actor actor, ProjectRef project);

    /**
     * Stores the text after compiling it as pipeline creation would, so a configuration GitLab's lint refuses is never
     * stored. Maintainers only.
     *
     * @throws io.jobyard.domain.pipeline.config.CiConfigException with the lint errors
     */
    void store(Actor actor, ProjectRef project, String content);
}
