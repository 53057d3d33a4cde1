package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.live.LiveLogHub;
import io.jobyard.application.service.runner.JobTokenAuthenticator.OnExpiry;
import io.jobyard.application.service.trace.SecretMaskingInputStream;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.TraceOffsetMismatchException;
import io.jobyard.domain.error.TraceTooLargeException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The runner's log append (contract §5.3): at the exact current length or not at all, secrets masked before the
 * bytes are stored, and a log that would outgrow the limit drops the job with {@code trace_size_exceeded}.
 *
 * <p>Masking guarantee. Every occurrence of a secret that lies within one append's body is masked before storage
 * (GitLab masks per append, too). The job token is never stored readable in part either, however the runner cuts it
 * into appends: an append that ends part-way through it, past its public {@code glcbt-} prefix, has that part masked
 * ({@link SecretMaskingInputStream.Secret}), and the next append, which reads back the last (token length − 1) stored
 * bytes, recognises the masked start and masks the rest; an occurrence split within the public prefix is masked from
 * the split on, as before. The live log, and the archived log copied from it, never hold a character of the token's
 * secret part. (Runners mask the job token themselves as well.) The further secrets a host passes
 * ({@code additionalSecrets}) have no public prefix known: a split occurrence of one keeps its stored part.
  */
public final class AppendTraceService implements AppendTraceUseCase {
    private final JobTokenAuthenticator authenticator;
    private final TraceStore traces;
    private final JobFinisher finisher;
    private final Clock clock;
    private final long maxTraceSize;
    private final LiveLogHub liveLog;

    /** @param liveLog told of every append once it is stored (committed): the live log follow's trigger */
    public AppendTraceService(JobTokenAuthenticator authenticator, TraceStore traces, JobFinisher finisher,
                              Clock clock, ArtifactLimits limits, LiveLogHub liveLog) {
        this.liveLog = Objects.requireNonNull(liveLog, "liveLog");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.finisher = Objects.requireNonNull(finisher, "finisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxTraceSize = Objects.requireNonNull(limits, "limits").maxTraceSize();
    }

    @Override
    public TraceAppended append(AppendTraceCommand command) {
        Job job = authenticator.authenticate(command.job(), command.jobToken(), OnExpiry.DROP_JOB);
        // GitLab checks the size the append would reach before anything else about it.
        if (command.declaredLength() >= 0 && command.offset() + command.declaredLength() > maxTraceSize) {
            throw dropForSize(job.id());
        }
        long current = traces.length(job.id());
        if (command.offset() != current) {
            throw new TraceOffsetMismatchException(current);
        }
        List<SecretMaskingInputStream.Secret> secrets = new ArrayList<>();
        secrets.add(jobToken(command.jobToken()));
        command.additionalSecrets().forEach(secret -> secrets.add(SecretMaskingInputStream.Secret.whole(secret)));
        int longest = secrets.stream().mapToInt(s -> s.value().getBytes(StandardCharsets.UTF_8).length).max()
                .orElse(0);
        byte[] tail = storedTail(job.id(), command.offset(), Math.max(0, longest - 1));
        InputStream masked = SecretMaskingInputStream.continuing(tail, command.body(), secrets);
        long length;
        try {
            length = traces.append(job.id(), command.offset(), masked, maxTraceSize);
        } catch (PayloadTooLargeException e) {
            throw dropForSize(job.id());
        } catch (RangeNotSatisfiableException appendedMeanwhile) {
            // Another append of this job's log got in first (the store checks the offset again as it writes).
            throw new TraceOffsetMismatchException(appendedMeanwhile.currentLength());
        }
        // The store has committed the bytes: followers may be told (never earlier, they would find nothing to read).
        tellAppended(job.id(), length);
        // The job may have ended while the bytes were stored, and its log been archived without them. Only a job still
        // executing now is sure to be archived later, with these bytes; otherwise the append is answered as one that
        // arrived after the end (403, Job-Status), so a byte is never acknowledged and then missing from the log.
        Job afterwards = authenticator.authenticate(job.id(), command.jobToken(), OnExpiry.DROP_JOB);
        return new TraceAppended(length, afterwards.status());
    }

    /** GitLab's job tokens begin with {@code glcbt-}, which tells nothing; the rest is the secret. */
    private static SecretMaskingInputStream.Secret jobToken(String token) {
        boolean prefixed = token.startsWith(SecretTokens.JOB_TOKEN_PREFIX);
        return new SecretMaskingInputStream.Secret(token,
                prefixed ? SecretTokens.JOB_TOKEN_PREFIX.length() : token.length());
    }

    private void tellAppended(JobId job, long length) {
        try {
            liveLog.appended(job, length);
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

    /** GitLab drops the job with {@code trace_size_exceeded} and refuses the append. */
    private TraceTooLargeException dropForSize(JobId id) {
        finisher.finish(id, fresh -> fresh.status().isExecuting()
                ? fresh.drop(FailureReason.TRACE_SIZE_EXCEEDED, null, clock.instant())
                : fresh);
        return new TraceTooLargeException();
    }
}
