package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.AppendTraceUseCase;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.port.out.TraceStore;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.application.service.live.TraceAppendedListener;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.RunnerForbiddenException;
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
 *
 * <p>Racing the job's end. The job is authenticated (running) before the bytes are stored, and may end and have its log
 * archived ({@link TraceArchiver}) and removed — even be erased — before they are. An append that finds the live log
 * gone while it compares its offset, reads the log's tail or stores is answered as one after the end (403 with
 * {@code Job-Status}, GitLab's answer), never 500 or a misleading {@code 416 Range: 0-0} that would send the runner
 * back to byte 0. An append stored at 0 after the log was removed starts a new live log: when it then finds its job
 * ended, the archiver removes that log again, so an erased job's log does not come back.
  */
public final class AppendTraceService implements AppendTraceUseCase {
    private final JobTokenCheck authenticator;
    private final TraceStore traces;
    private final TraceArchiver archiver;
    private final JobEnding ending;
    private final Clock clock;
    private final long maxTraceSize;
    private final TraceAppendedListener appended;

    public AppendTraceService(JobTokenCheck authenticator, TraceStore traces, TraceArchiver archiver, JobEnding ending,
                              Clock clock, ArtifactLimits limits) {
        this(authenticator, traces, archiver, ending, clock, limits, TraceAppendedListener.NONE);
    }

    /**
     * @param archiver the one that archives {@code traces} when jobs complete: an append that finds its job ended
     *                 after storing has it archive the log (again: it is idempotent and safe to race), which removes a
     *                 live log the append's bytes started after the log was archived or erased
     * @param appended told of every append once it is stored (committed): the live log follow's trigger
     */
    public AppendTraceService(JobTokenCheck authenticator, TraceStore traces, TraceArchiver archiver, JobEnding ending,
                              Clock clock, ArtifactLimits limits, TraceAppendedListener appended) {
        this.appended = Objects.requireNonNull(appended, "appended");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.archiver = Objects.requireNonNull(archiver, "archiver");
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
            throw refusalIfEnded(job.id(), command.jobToken(), new RangeNotSatisfiableException(current));
        }
        List<SecretMaskingInputStream.Secret> secrets = new ArrayList<>();
        secrets.add(jobToken(command.jobToken()));
        command.additionalSecrets().forEach(secret -> secrets.add(SecretMaskingInputStream.Secret.whole(secret)));
        int longest = secrets.stream().mapToInt(s -> s.value().getBytes(StandardCharsets.UTF_8).length).max()
                .orElse(0);
        byte[] tail;
        try {
            tail = storedTail(job.id(), command.offset(), Math.max(0, longest - 1));
        } catch (UncheckedIOException | RangeNotSatisfiableException | NotFoundException removed) {
            // The live log went while its tail was read: archived (or erased) because the job ended meanwhile.
            throw refusalIfEnded(job.id(), command.jobToken(), removed);
        }
        InputStream masked = SecretMaskingInputStream.continuing(tail, command.body(), secrets);
        long length;
        try {
            length = traces.append(job.id(), command.offset(), masked, maxTraceSize);
        } catch (PayloadTooLargeException e) {
            throw dropForSize(job.id());
        } catch (RangeNotSatisfiableException moved) {
            // Another append came first — or the job ended and its live log was removed (length 0): then the runner is
            // told the job's end, not to resend its whole log from byte 0.
            throw refusalIfEnded(job.id(), command.jobToken(), moved);
        }
        // The store has committed the bytes: followers may be told (never earlier, they would find nothing to read).
        tellAppended(job.id(), length);
        // The job may have ended while the bytes were stored, and its log been archived without them. Only a job still
        // executing now is sure to be archived later, with these bytes; otherwise the append is answered as one that
        // arrived after the end (403, Job-Status), so a byte is never acknowledged and then missing from the log.
        Job afterwards;
        try {
            afterwards = authenticator.authenticate(job.id(), command.jobToken());
        } catch (RunnerForbiddenException ended) {
            // Bytes stored at 0 after the log was archived or erased and removed started a new live log: the archiver
            // removes it (an erased job has no log; an archived one has its archive).
            tidyAfterTheEnd(job.id());
            throw ended;
        }
        return new TraceAppended(length, afterwards.status());
    }

    private void tidyAfterTheEnd(JobId job) {
        try {
            archiver.archive(job);
        } catch (RuntimeException e) {
            // The append is refused either way; the live log stays as it is.
        }
    }

    /**
     * The runner's refusal when the job no longer executes (403 with {@code Job-Status}: what GitLab answers an append
     * after the end); otherwise {@code failure} itself, which then has some other cause.
     */
    private RuntimeException refusalIfEnded(JobId job, String token, RuntimeException failure) {
        try {
            authenticator.authenticate(job, token);
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
