package io.jobyard.application.service.hook;

import io.jobyard.application.port.in.event.HookPayload;
import io.jobyard.application.port.out.HookPayloadEncoder;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.HookRepository.Delivery;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.hook.ProjectHook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.ArrayList;

/**
 * Delivers queued webhook events, at least once and in order per job (and per pipeline) for each hook, from any
 * number of instances sharing one database. Each pass leases the deliveries that are due ({@link HookRepository#claimDue}:
 * one per lane, of executable hooks), sends them, and marks each delivered or schedules its next attempt with
 * exponential backoff; a delivery whose instance dies mid-attempt is leased again once its lease has run out and sent
 * again (the receiver sees the same {@code Idempotency-Key}).
 *
 * <p>A hook that keeps failing is disabled as GitLab disables it; its deliveries wait, and go out once it is executable
 * again (after the backoff, or when it is edited). Nothing is dropped while the hook exists.
 */
public final class HookDeliveryWorker {
    private static final System.Logger LOG = System.getLogger(HookDeliveryWorker.class.getName());
    /** After this many doublings the retry delay stays where it is. */
    private static final int MAX_DOUBLINGS = 12;

    private final HookRepository hooks;
    private final EventPayloads payloads;
    private final HookPayloadEncoder encoder;
    private final HookDispatcher dispatcher;
    private final Clock clock;
    private final String owner;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final int batch;

    /**
     * @param owner      this instance's name in the leases it takes
     * @param firstRetry the delay before the second attempt; each further one doubles it, up to {@code maxRetry}
     */
    public HookDeliveryWorker(HookRepository hooks, EventPayloads payloads, HookPayloadEncoder encoder,
                              HookDispatcher dispatcher, Clock clock, String owner, Duration firstRetry,
                              Duration maxRetry, int batch) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.firstRetry = Objects.requireNonNull(firstRetry, "firstRetry");
        this.maxRetry = Objects.requireNonNull(maxRetry, "maxRetry");
        this.batch = batch;
    }

    public static String newOwner() {
        return "jobyard-" + UUID.randomUUID();
    }

    /**
     * The lease of a delivery: long enough for an attempt that runs into its timeout, with room for the bookkeeping
     * around it; an instance killed mid-attempt holds its deliveries no longer than this.
     */
    Duration lease() {
        return dispatcher.timeout().multipliedBy(2).plusSeconds(5);
    }

    /**
     * One pass: leases what is due and delivers it, lanes side by side on {@code sender} threads (or one after the other
     * on the calling thread when it is null).
     *
     * @return how many deliveries were attempted
     */
    public int deliverDue(ExecutorService senders) {
        List<Delivery> due = hooks.claimDue(clock.instant(), batch, owner, lease());
        if (due.isEmpty()) {
            return 0;
        }
        if (senders == null) {
            due.forEach(this::deliverQuietly);
            return due.size();
        }
        List<Future<?>> running = new ArrayList<>(due.size());
        for (Delivery delivery : due) {
            running.add(senders.submit(() -> deliverQuietly(delivery)));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "a webhook delivery failed unexpectedly", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return due.size();
    }

    private void deliverQuietly(Delivery delivery) {
        try {
            deliver(delivery);
        } catch (RuntimeException e) {
            // The lease runs out and the delivery is tried again; a database outage must not end the worker.
            LOG.log(System.Logger.Level.WARNING, "webhook delivery " + delivery.id() + " failed; it is retried", e);
        }
    }

    void deliver(Delivery delivery) {
        Optional<ProjectHook> found = hooks.findById(delivery.hook());
        if (found.isEmpty()) {
            return; // deleted meanwhile, its deliveries with it
        }
        ProjectHook hook = found.get();
        String body = delivery.requestBody();
        String eventHeader = delivery.event().kind() == EventKind.JOB ? "Job Hook" : "Pipeline Hook";
        String trigger = delivery.event().kind() == EventKind.JOB ? "job_hooks" : "pipeline_hooks";
        if (body == null) {
            Optional<HookPayload> payload = payloads.payload(delivery.event());
            if (payload.isEmpty()) {
                // The job or pipeline is gone: there is nothing left to tell about it.
                hooks.markDelivered(delivery.id(), owner, clock.instant());
                return;
            }
            body = encoder.encode(payload.get());
        }
        HookDispatcher.Attempt attempt = dispatcher.send(hook, eventHeader, trigger, delivery.event().uuid(),
                delivery.idempotencyKey(), body);
        Instant now = clock.instant();
        if (attempt.delivered()) {
            hooks.markDelivered(delivery.id(), owner, now);
            return;
        }
        int attempts = delivery.attempts() + 1;
        Instant next = now.plus(retryDelay(attempts));
        ProjectHook after = attempt.hook();
        if (after.disabledUntil() != null && after.disabledUntil().isAfter(next)) {
            next = after.disabledUntil();
        }
        hooks.reschedule(delivery.id(), owner, next, attempts, body);
    }

    /** {@code firstRetry} after the first failed attempt, doubling with each further one, at most {@code maxRetry}. */
    Duration retryDelay(int failedAttempts) {
        Duration delay = firstRetry.multipliedBy(1L << Math.min(MAX_DOUBLINGS, Math.max(0, failedAttempts - 1)));
        return delay.compareTo(maxRetry) > 0 ? maxRetry : delay;
    }
}
