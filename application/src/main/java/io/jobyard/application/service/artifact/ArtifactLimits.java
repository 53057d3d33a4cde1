package io.jobyard.application.service.artifact;

/**
 * Configurable limits on what uploads and logs may hold. Exceeding one is a 413 (uploads) or a dropped job (logs).
 *
 * @param maxArtifactSize     bytes one uploaded artifact may have (GitLab's {@code max_artifacts_size})
 * @param maxEntries          entries an archive may list
 * @param maxUncompressedSize total bytes an archive's entries may expand to: the zip-bomb guard
 * @param maxTraceSize        bytes a job log may reach (GitLab's plan {@code ci_jobs_trace_size_limit})
 */
public record ArtifactLimits(long maxArtifactSize, int maxEntries, long maxUncompressedSize, long maxTraceSize) {

    /** GitLab-like defaults: 100 MiB archives, 100k entries, 10 GiB expanded, 100 MiB logs. */
    public static final ArtifactLimits DEFAULTS =
            new ArtifactLimits(100L << 20, 100_000, 10L << 30, 100L << 20);

    public ArtifactLimits {
        if (maxArtifactSize < 0 || maxEntries < 0 || maxUncompressedSize < 0 || maxTraceSize < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    public ArtifactLimits withMaxArtifactSize(long value) {
        return new ArtifactLimits(value, maxEntries, maxUncompressedSize, maxTraceSize);
    }

    public ArtifactLimits withMaxEntries(int value) {
        return new ArtifactLimits(maxArtifactSize, value, maxUncompressedSize, maxTraceSize);
    }

    public ArtifactLimits withMaxUncompressedSize(long value) {
        return new ArtifactLimits(maxArtifactSize, maxEntries, value, maxTraceSize);
    }

    public ArtifactLimits withMaxTraceSize(long value) {
        return new ArtifactLimits(maxArtifactSize, maxEntries, maxUncompressedSize, value);
    }
}
