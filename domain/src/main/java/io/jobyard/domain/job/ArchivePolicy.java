package io.jobyard.domain.job;

import java.time.Duration;
import java.time.Instant;

/**
 * The instance setting {@code archive_builds_older_than}: jobs older than it are archived and can no longer be retried,
 * played or kept. Null means jobs never archive by age.
 */
public record ArchivePolicy(Duration olderThan) {
    public static final ArchivePolicy NEVER = new ArchivePolicy(null);

    public ArchivePolicy {
        if (olderThan != null && (olderThan.isNegative() || olderThan.isZero())) {
            throw new IllegalArgumentException("archive age must be positive");
        }
    }

    public boolean isArchived(Job job, Instant now) {
        return job.degenerated() || (olderThan != null && job.createdAt().isBefore(now.minus(olderThan)));
    }
}
