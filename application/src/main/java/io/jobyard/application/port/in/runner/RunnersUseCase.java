package io.jobyard.application.port.in.runner;

import io.jobyard.domain.access.Actor;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.runner.RunnerType;

import java.util.List;
import java.util.Objects;

/**
 * Runners as GitLab's runner-creation workflow manages them: {@code POST /api/v4/user/runners} creates one and answers
 * its {@code glrt-} authentication token once; the runner then proves itself with {@code POST /api/v4/runners/verify}
 * and may unregister with {@code DELETE /api/v4/runners}. Only the token's SHA-256 digest is stored.
 */
public interface RunnersUseCase {

    /**
     * Creates a runner. An instance runner needs an admin, a project runner a Maintainer of its project.
     *
     * @throws io.jobyard.domain.error.UnauthorizedException      no identity
     * @throws io.jobyard.domain.error.ForbiddenException         read-only credentials ("403 Forbidden"), or the
     *                                                            caller may not create this runner ("403 Forbidden -
     *                                                            Insufficient permissions")
     * @throws io.jobyard.domain.error.BadRequestException        no such project, or a scope that does not fit the
     *                                                            runner type ("400 Bad request - Missing/invalid scope"),
     *                                                            or a description or tag too long ("400 Bad request -
     *                                                            Description is too long (maximum is 2048 characters)")
     */
    CreatedRunner create(Actor actor, NewRunner runner);

    /**
     * {@code POST /runners}: GitLab's legacy registration with a registration token, which Jobyard has disabled as
     * GitLab 17 disables it (runners are created with {@code POST /user/runners} and verify their {@code glrt-}
     * token). Never returns.
     *
     * @throws io.jobyard.domain.error.GoneException      "runner registration disallowed" for a registration token
     *                                                    (GitLab's {@code GR1348941} form)
     * @throws io.jobyard.domain.error.ForbiddenException "invalid token supplied" for anything else
     */
    Runner registerWithRegistrationToken(String registrationToken);

    /**
     * {@code POST /runners/verify}: the runner that owns {@code token}.
     *
     * @throws io.jobyard.domain.error.ForbiddenException "403 Forbidden" for an unknown token
     */
    Runner verify(String token);

    /**
     * {@code DELETE /runners}: removes the runner that owns {@code token}.
     *
     * @throws io.jobyard.domain.error.ForbiddenException "403 Forbidden" for an unknown token
     */
    void delete(String token);

    /**
     * {@code DELETE /runners/:id}: an administrator, or a Maintainer of a project runner's project, removes a runner;
     * its token stops working at once.
     *
     * @throws io.jobyard.domain.error.NotFoundException  "404 Not found" for an unknown id
     * @throws io.jobyard.domain.error.ForbiddenException "403 Forbidden - No access granted"
     */
    void deleteById(Actor actor, RunnerId id);

    /**
     * {@code POST /runners/:id/reset_authentication_token}: a new {@code glrt-} token for the runner, shown once; the
     * old one stops working at once, so a leaked runner token can be cut off while the runner is reconfigured.
     *
     * @throws io.jobyard.domain.error.NotFoundException  "404 Not found" for an unknown id
     * @throws io.jobyard.domain.error.ForbiddenException "403 Forbidden - No access granted"
     */
    CreatedRunner resetToken(Actor actor, RunnerId id);

    /**
     * What {@code POST /user/runners} accepts (GitLab's {@code runner_type}, {@code project_id}, {@code description},
     * {@code paused}, {@code run_untagged}, {@code tag_list}).
     *
     * @param project the owning project of a project runner; must be null for an instance runner
     * @param tags    runner tags; GitLab strips blanks and duplicates
     */
    record NewRunner(RunnerType type, ProjectId project, String description, boolean paused, boolean runUntagged,
                     List<String> tags) {
        public NewRunner {
            Objects.requireNonNull(type, "type");
            description = description == null ? "" : description;
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        public static NewRunner instance(String description, List<String> tags) {
            return new NewRunner(RunnerType.INSTANCE_TYPE, null, description, false, true, tags);
        }

        public static NewRunner project(ProjectId project, String description, List<String> tags) {
            return new NewRunner(RunnerType.PROJECT_TYPE, project, description, false, true, tags);
        }
    }

    /**
     * A runner as created (or with its token reset): {@code token} (GitLab's {@code glrt-} authentication token) is
     * shown this once and never stored. The HTTP layer answers {@code {"id", "token", "token_expires_at": null}}.
     */
    record CreatedRunner(Runner runner, String token) {
        public CreatedRunner {
            Objects.requireNonNull(runner, "runner");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "CreatedRunner[" + runner.id() + "]";
        }
    }
}
