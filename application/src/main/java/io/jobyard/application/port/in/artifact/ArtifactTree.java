package io.jobyard.application.port.in.artifact;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.PipelineId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A page of the entries of a job's artifacts archive ({@code GET .../jobs/:job_id/artifacts_tree}), read from the
 * entry index built at upload; the archive itself is never read.
 *
 * @param job      the job whose archive this is (for the by-ref listing: the job it picked)
 * @param pipeline that job's pipeline
 * @param next     where the next page starts (a path), or null on the last page
 */
public record ArtifactTree(JobId job, PipelineId pipeline, List<Entry> entries, String next) {
    public ArtifactTree {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(pipeline, "pipeline");
        entries = List.copyOf(entries);
    }

    /**
     * One file or directory. Directories the archive does not list itself (only files inside them) are shown too,
     * without mode or time.
     *
     * @param path       the full path in the archive, a directory's without its trailing slash
     * @param size       the file's uncompressed size; null for a directory
     * @param mode       the Unix mode (type and permission bits) the archive records, or null
     * @param crc32      the file's CRC-32; null for a directory
     * @param modifiedAt the modification time the archive records, or null
     */
    public record Entry(String name, String path, boolean directory, Long size, Integer mode, Long crc32,
                        Instant modifiedAt) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * What to list.
     *
     * @param path      the directory, {@code ""} for the archive's root (a trailing slash is optional)
     * @param recursive everything below the directory, not only its children
     * @param glob      only entries whose path below the directory matches ({@code *} within a name, {@code **}
     *                  across directories, {@code ?} one character); null for all
     * @param after     the position to continue after (from the previous page), or null
     */
    public record Query(String path, boolean recursive, String glob, String after, int perPage) {
        public Query {
            Objects.requireNonNull(path, "path");
            if (perPage < 1 || perPage > Pagination.MAX_PER_PAGE) {
                throw new IllegalArgumentException("per_page must be 1.." + Pagination.MAX_PER_PAGE);
            }
        }
    }
}
