package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.AppendTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.live.TraceAppendedListener;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The runner's log append (contract §5.3): at the exact current length or not at all, secrets masked before the
 * bytes are stored, and a log that would outgrow the limit drops the job with {@code trace_size_exceeded}.
 *
 * <p>Masking guarantee. Every occurrence of a secret that lies within one append's body is masked before storage
 * (GitLab masks per append, too). An occurrence split across two appends is caught as well: the append first reads
 * back the last (longest secret − 1) stored bytes and scans them together with the new body, so the part of the
 * occurrence in the new body is masked. The part already stored by the previous append cannot be rewritten — the log
 * is append-only and that append was acknowledged — so such a split occurrence keeps a proper prefix, never the whole
 * secret. {@link TraceArchiver#archive(JobId, java.util.Collection)} masks the complete log once more when it is given the secrets,
 * which closes that gap in the archived log. Runners mask the job token themselves as well.
 */
public final class AppendTraceService implements AppendTraceUseCase {
    private final JobTokenCheck authenticator;
    private final TraceStore traces;
    private final JobEnding ending;
    private final Clock clock;
    private final long maxTraceSize;
    private final TraceAppendedListener appended;

    public AppendTraceService(JobTokenCheck authenticator, TraceStore traces, JobEnding ending, Clock clock,
                              ArtifactLimits limits) {
        this(authenticator, traces, ending, clock, limits, TraceAppendedListener.NONE);
    }

    /** @param appended told of every append once it is stored (committed): the live log follow's trigger */
    public AppendTraceService(JobTokenCheck authenticator, TraceStore traces, JobEnding ending, Clock clock,
                              ArtifactLimits limits, TraceAppendedListener appended) {
        this.appended = Objects.requireNonNull(appended, "appended");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.ending = Objects.requireNonNull(ending, "ending");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxTraceSize = Objects.requireNonNull(limits, "limits").maxTraceSize();
    }

    @Override
    public TraceAppended append(AppendTraceCommand command) {
        Job job = authenticator.authenticate(command.job(), command.jobToken());
        // GitLab checks the size the append would reach before anything else about it.
        if (command.declaredLength() >= 0 && command.offset() + command.declaredLength() > maxTraceSize) {
            throw dropForSize(job.id());
        }
        long current = traces.length(job.id());
        if (command.offset() != current) {
            throw new RangeNotSatisfiableException(current);
        }
        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(command.jobToken());
        secrets.addAll(command.additionalSecrets());
        int longest = secrets.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).max().orElse(0);
        byte[] tail = storedTail(job.id(), command.offset(), Math.max(0, longest - 1));
        InputStream masked = SecretMaskingInputStream.continuing(tail, command.body(), secrets);
        long length;
        try {
            length = traces.append(job.id(), command.offset(), masked, maxTraceSize);
        } catch (PayloadTooLargeException e) {
            throw dropForSize(job.id());
        }
        // The store has committed the bytes: followers may be told (never earlier, they would find nothing to read).
        tellAppended(job.id(), length);
        // The job may have ended while the bytes were stored, and its log been archived without them. Only a job still
        // executing now is sure to be archived later, with these bytes; otherwise the append is answered as one that
        // arrived after the end (403, Job-Status), so a byte is never acknowledged and then missing from the log.
        Job afterwards = authenticator.authenticate(job.id(), command.jobToken());
        return new TraceAppended(length, afterwards.status());
    }

    private void tellAppended(JobId job, long length) {
        try {
            appended.appended(job, length);
        } catch (RuntimeException e) {
            // Followers find the bytes on their next poll; the append itself has succeeded and is answered so.
        }
    }

    /** The last {@code length} bytes before {@code offset}: where a split secret would have begun. */
    private byte[] storedTail(JobId job, long offset, int length) {
        long from = Math.max(0, offset - length);
        int size = (int) (offset - from);
        if (size == 0) {
            return new byte[0];
        }
        try (BlobContent content = traces.read(job, new ByteRange(from, size))) {
            return content.stream().readNBytes(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GitLab drops the job with {@code trace_size_exceeded} and answers {@code 403 {"error":"403 Forbidden"}}: a plain
     * {@link ForbiddenException}, which the HTTP layer tells apart from the authentication refusals
     * ({@link io.jobyard.domain.error.RunnerForbiddenException}).
     */
    private ForbiddenException dropForSize(JobId id) {
        ending.finish(id, fresh -> fresh.status().isExecuting()
                ? fresh.drop(FailureReason.TRACE_SIZE_EXCEEDED, null, clock.instant())
                : fresh);
        return new ForbiddenException();
    }
}
