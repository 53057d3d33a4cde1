package io.jobyard.application.port.in;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.stream.RangedReader;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.PipelineId;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Something to stream to a client: its name, size and digest are known before any byte is read, so the HTTP layer
 * can answer HEAD, Range and If-None-Match without opening it.
 *
 * <p>The media type is the HTTP layer's to decide, as GitLab's Workhorse decides it (by the kind of download, the file
 * name's extension, or the first bytes).
 *
 * @param filename    what Content-Disposition names
 * @param size        the full size in bytes
 * @param etag        a strong validator (a digest of the bytes, or of what identifies them)
 * @param sha256      hex SHA-256 of the full content when known, else null
 * @param redirect    a URL to send the client to instead of streaming (object storage direct download), if any
 * @param rangeable   whether byte ranges can be served
 * @param source      the job (and its pipeline) the bytes were picked from, when the request named no job: the
 *                    downloads of the latest artifacts of a ref tell the client which one they found; else null
 */
public record Download(String filename, long size, String etag, String sha256,
                       Optional<URI> redirect, boolean rangeable, RangedReader opener, Source source) {

    public Download {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(redirect, "redirect");
        Objects.requireNonNull(opener, "opener");
    }

    /** A download of a job the request named itself. */
    public Download(String filename, long size, String etag, String sha256,
                    Optional<URI> redirect, boolean rangeable, RangedReader opener) {
        this(filename, size, etag, sha256, redirect, rangeable, opener, null);
    }

    /** The job a download of a ref's latest artifacts picked. */
    public record Source(JobId job, PipelineId pipeline) {
        public Source {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(pipeline, "pipeline");
        }
    }

    /** This download, said to come from {@code job} of {@code pipeline}. */
    public Download from(JobId job, PipelineId pipeline) {
        return new Download(filename, size, etag, sha256, redirect, rangeable, opener, new Source(job, pipeline));
    }

    /** Opens the bytes; the caller closes the content. */
    public BlobContent open(ByteRange range) {
        return opener.read(range);
    }
}
