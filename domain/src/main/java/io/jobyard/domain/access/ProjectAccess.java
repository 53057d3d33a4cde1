package io.jobyard.domain.access;

import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.UserId;

import java.util.Objects;
import java.util.Optional;

/**
 * What one actor may do in one project: GitLab's project and job policies reduced to the abilities the Jobs API
 * checks (contract §0.7). Admins act as owners everywhere.
 *
 * @param role the actor's membership role in the project, or null when not a member
 */
public record ProjectAccess(Project project, Actor actor, Role role) {

    public ProjectAccess {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(actor, "actor");
    }

    private Optional<Role> effectiveRole() {
        if (actor.isAdmin()) {
            return Optional.of(Role.OWNER);
        }
        if (actor instanceof Actor.Anonymous) {
            return Optional.empty();
        }
        return Optional.ofNullable(role);
    }

    private boolean atLeast(Role required) {
        return effectiveRole().map(r -> r.atLeast(required)).orElse(false);
    }

    /** Whether the project is visible at all; a project one cannot read is answered as missing. */
    public boolean canReadProject() {
        if (project.visibility() == Visibility.PUBLIC) {
            return true;
        }
        if (project.visibility() == Visibility.INTERNAL && actor.user().isPresent()) {
            return true;
        }
        return effectiveRole().isPresent();
    }

    /** {@code read_build}: Reporter+, or anyone who can read the project when its pipelines are public. */
    public boolean canReadBuilds() {
        return atLeast(Role.REPORTER) || (canReadProject() && project.publicBuilds());
    }

    /** {@code read_pipeline}: the same people as read_build in Jobyard's model. */
    public boolean canReadPipelines() {
        return canReadBuilds();
    }

    /** {@code update_build} / {@code cancel_build} / {@code create_build} / {@code create_pipeline}: Developer+. */
    public boolean canUpdateBuilds() {
        return atLeast(Role.DEVELOPER);
    }

    /**
     * {@code read_pipeline_variable}: {@code admin_pipeline} (Maintainer+), or a Developer reading a pipeline they
     * triggered — pipeline variables often carry secrets the other developers must not see.
     *
     * @param triggeredBy the pipeline's user, or null
     */
    public boolean canReadPipelineVariables(UserId triggeredBy) {
        if (isMaintainer()) {
            return true;
        }
        return canUpdateBuilds() && triggeredBy != null
                && actor.user().map(u -> u.id().equals(triggeredBy)).orElse(false);
    }

    /** {@code admin_build}, {@code maintainer_access}: Maintainer+. */
    public boolean isMaintainer() {
        return atLeast(Role.MAINTAINER);
    }

    /** {@code destroy_artifacts}: Maintainer+. */
    public boolean canDestroyArtifacts() {
        return atLeast(Role.MAINTAINER);
    }

    /** {@code read_build_trace}: read_build, and Developer+ for jobs in debug mode (their logs may hold secrets). */
    public boolean canReadTrace(Job job) {
        return canReadBuilds() && (!job.spec().debugTrace() || canUpdateBuilds());
    }

    /** {@code retry_job}, {@code play_job}, {@code keep_job_artifacts}: update_build on a job that is not archived. */
    public boolean canActOnJob(boolean archived) {
        return canUpdateBuilds() && !archived;
    }

    /** {@code erase_build}: Maintainer, or a Developer erasing their own job. */
    public boolean canErase(Job job) {
        if (isMaintainer()) {
            return true;
        }
        return canUpdateBuilds() && actor.user().map(u -> u.id().equals(job.userId())).orElse(false);
    }

    /** {@code read_job_artifacts}: read_build, then the artifact's accessibility. */
    public boolean canReadArtifacts(ArtifactAccessibility accessibility) {
        if (!canReadBuilds()) {
            return false;
        }
        return switch (accessibility) {
            case PUBLIC -> true;
            case PRIVATE -> atLeast(Role.DEVELOPER);
            case MAINTAINER -> atLeast(Role.MAINTAINER);
            case NONE -> false;
        };
    }
}
