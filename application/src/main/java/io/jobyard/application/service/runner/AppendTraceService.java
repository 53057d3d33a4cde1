package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.AppendTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.application.service.artifact.ArtifactLimits;
import io.jobyard.application.service.artifact.Digests;
import io.jobyard.application.service.live.LiveLogHub;
import io.jobyard.application.service.runner.JobTokenAuthenticator.OnExpiry;
import io.jobyard.application.service.trace.SecretMaskingInputStream;
import io.jobyard.application.service.trace.TraceArchiver;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.error.TraceOffsetMismatchException;
import io.jobyard.domain.error.TraceTooLargeException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
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
 *
 * <p>Racing the job's end. The job is authenticated (running) before the bytes are stored, and may end, be archived
 * ({@link TraceArchiver}) and even be erased before they are. What the runner is told then follows from where its bytes
 * are: 202 only for bytes that are in the job's log for good — the job still executes after they were stored (its log
 * is archived later, with them), or the job has ended and its archived log holds them — and otherwise 403 with
 * {@code Job-Status}, GitLab's answer to an append after the end. An append that finds the live log gone while it
 * reads the log's tail, or its offset refused because the log was removed, is answered that way too, never 500 or a
 * misleading {@code 416 Range: 0-0}. And an append stored after an erase removed the log does not bring it back.
  */
public final class AppendTraceService implements AppendTraceUseCase {
    private final JobTokenAuthenticator authenticator;
    private final TraceStore traces;
    private final TraceArchiver archiver;
    private final JobFinisher finisher;
    private final Clock clock;
    private final long maxTraceSize;
    private final LiveLogHub liveLog;

    /**
     * @param archiver the one that archives {@code traces} when jobs complete: an append that finds its job ended
     *                 after storing asks it for the archived log (archiving it now if the ending has not yet)
     * @param liveLog  told of every append once it is stored (committed): the live log follow's trigger
     */
    public AppendTraceService(JobTokenAuthenticator authenticator, TraceStore traces, TraceArchiver archiver,
                              JobFinisher finisher, Clock clock, ArtifactLimits limits, LiveLogHub liveLog) {
        this.liveLog = Objects.requireNonNull(liveLog, "liveLog");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.archiver = Objects.requireNonNull(archiver, "archiver");
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
        List<SecretMaskingInputStream.Secret> secrets = new ArrayList<>();
        secrets.add(jobToken(command.jobToken()));
        command.additionalSecrets().forEach(secret -> secrets.add(SecretMaskingInputStream.Secret.whole(secret)));
        int longest = secrets.stream().mapToInt(s -> s.value().getBytes(StandardCharsets.UTF_8).length).max()
                .orElse(0);
        byte[] tail;
        try {
            // Reading the tail also checks the offset (the store checks it again as it writes): one read of the length.
            tail = storedTail(job.id(), command.offset(), Math.max(0, longest - 1));
        } catch (TraceOffsetMismatchException elsewhere) {
            throw refusalIfEnded(job.id(), command.jobToken(), elsewhere);
        } catch (RangeNotSatisfiableException shorter) {
            // The live log went while its tail was read: archived (or erased) because the job ended meanwhile.
            throw refusalIfEnded(job.id(), command.jobToken(),
                    new TraceOffsetMismatchException(shorter.currentLength()));
        } catch (UncheckedIOException | NotFoundException removed) {
            throw refusalIfEnded(job.id(), command.jobToken(), removed);
        }
        MessageDigest storedDigest = Digests.sha256();
        InputStream masked = new DigestInputStream(
                SecretMaskingInputStream.continuing(tail, command.body(), secrets), storedDigest);
        long length;
        try {
            length = traces.append(job.id(), command.offset(), masked, maxTraceSize);
        } catch (PayloadTooLargeException e) {
            throw dropForSize(job.id());
        } catch (RangeNotSatisfiableException moved) {
            // Another append of this job's log got in first (the store checks the offset again as it writes) — or the
            // job ended and its live log was removed (length 0): then the runner is told the job's end, not to resend
            // its whole log from byte 0.
            throw refusalIfEnded(job.id(), command.jobToken(),
                    new TraceOffsetMismatchException(moved.currentLength()));
        }
        // The store has committed the bytes: followers may be told (never earlier, they would find nothing to read).
        tellAppended(job.id(), length);
        try {
            // A job still executing now is archived later, and then with these bytes.
            return new TraceAppended(length, authenticator.recheck(job.id(), command.jobToken()).status());
        } catch (RunnerForbiddenException ended) {
            // The job ended while the bytes were stored. Its archived log decides: holding them, they are the job's for
            // good and acknowledged (a later append may already be acknowledged after them); archived before they
            // landed, they are answered as an append after the end (403, Job-Status), so a byte is never acknowledged
            // and then missing from the log. (Not the archived length alone: bytes stored at 0 after the live log was
            // archived and removed start a new live log, which the archived one, however long, does not hold.)
            // Asked in every case: for an erased job the archiver removes the log these bytes may have started again.
            boolean held = archivedLogHolds(job.id(), command.offset(), length, storedDigest.digest());
            if (held && ended.jobStatus().isPresent()) {
                return new TraceAppended(length, ended.jobStatus().get());
            }
            throw ended;
        }
    }

    /**
     * Asks the archiver, which archives the log now if the job's ending has not yet (it is idempotent and safe to race)
     * and removes a live log an append stored after an erase. A failure counts as "not held": the append is refused,
     * as one whose bytes may be missing.
     */
    private boolean archivedLogHolds(JobId job, long from, long to, byte[] sha256) {
        try {
            return archiver.archivedLogHolds(job, from, to, sha256);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The runner's refusal when the job no longer executes (403 with {@code Job-Status}: what GitLab answers an append
     * after the end); otherwise {@code failure} itself, which then has some other cause.
     */
    private RuntimeException refusalIfEnded(JobId job, String token, RuntimeException failure) {
        try {
            authenticator.authenticate(job, token, OnExpiry.DROP_JOB);
        } catch (RunnerForbiddenException ended) {
            return ended;
        }
        return failure;
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

    /**
     * The last {@code length} bytes before {@code offset}, where a split secret would have begun, from a log that is
     * {@code offset} bytes long.
     *
     * @throws TraceOffsetMismatchException      when the log is longer
     * @throws RangeNotSatisfiableException when it is shorter
     */
    private byte[] storedTail(JobId job, long offset, int length) {
        long from = Math.max(0, offset - length);
        int size = (int) (offset - from);
        if (size == 0) {
            long current = traces.length(job);
            if (current != offset) {
                throw new TraceOffsetMismatchException(current);
            }
            return new byte[0];
        }
        try (BlobContent content = traces.read(job, new ByteRange(from, size))) {
            if (content.totalSize() != offset) {
                throw new TraceOffsetMismatchException(content.totalSize());
            }
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
