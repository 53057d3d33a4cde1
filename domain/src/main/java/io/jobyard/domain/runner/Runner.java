package io.jobyard.domain.runner;

import io.jobyard.domain.text.TextLimit;
import io.jobyard.domain.project.ProjectId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A runner that executes jobs. Its authentication token is stored only as a digest.
 *
 * @param projectId     the owning project for project runners, null for instance runners
 * @param runUntagged   whether it takes jobs without tags
 * @param gracefulCancel the runner runs after_script on cancel, so canceling a running job waits for it
 */
public record Runner(
        RunnerId id,
        String description,
        RunnerType type,
        ProjectId projectId,
        boolean active,
        List<String> tags,
        boolean runUntagged,
        boolean gracefulCancel,
        String tokenDigest,
        Instant createdAt,
        Instant contactedAt) {

    public Runner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tokenDigest, "tokenDigest");
        Objects.requireNonNull(createdAt, "createdAt");
        TextLimit.RUNNER_DESCRIPTION.require(description);
        tags.forEach(TextLimit.RUNNER_TAG::require);
        tags = tags.stream().sorted().distinct().toList();
        if (type == RunnerType.PROJECT_TYPE && projectId == null) {
            throw new IllegalArgumentException("a project runner needs a project");
        }
    }

    /** Whether this runner may take a job with {@code jobTags} of {@code project}: tags are a subset of its own. */
    public boolean canPick(Set<String> jobTags, ProjectId project) {
        if (!active) {
            return false;
        }
        if (type == RunnerType.PROJECT_TYPE && !projectId.equals(project)) {
            return false;
        }
        if (jobTags.isEmpty()) {
            return runUntagged;
        }
        return Set.copyOf(tags).containsAll(jobTags);
    }

    /** GitLab's {@code online}: contacted within the last two hours. */
    public boolean online(Instant now) {
        return contactedAt != null && contactedAt.isAfter(now.minusSeconds(7200));
    }

    /** The runner with a new authentication token (its digest): the old token stops authenticating. */
    public Runner withTokenDigest(String digest) {
        return new Runner(id, description, type, projectId, active, tags, runUntagged, gracefulCancel, digest,
                createdAt, contactedAt);
    }

    public Runner contacted(Instant now) {
        return new Runner(id, description, type, projectId, active, tags, runUntagged, gracefulCancel, tokenDigest,
                createdAt, now);
    }
}
