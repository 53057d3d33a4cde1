package io.jobyard.application.contract;

import io.jobyard.application.port.out.TraceArchiveQueue;
import io.jobyard.application.port.out.TraceArchiveQueue.Entry;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link TraceArchiveQueue} has: queued in the caller's transaction, each entry claimed by one
 * claimer at a time, retried when rescheduled, claimed again once a dead claimer's lease has run out. Extend it and
 * supply the queue over the same store as {@link #repositories()}.
 */
public abstract class TraceArchiveQueueContract extends RepositoryContract {
    private static final Duration LEASE = Duration.ofMinutes(5);

    protected TraceArchiveQueue queue;

    /** The queue of the store {@link #repositories()} returned, emptied. */
    protected abstract TraceArchiveQueue queue();

    @BeforeEach
    void openQueue() {
        queue = queue();
    }

    private static JobId job(long id) {
        return JobId.of(id);
    }

    @Test
    public void aQueuedJobIsClaimedOnceUntilItsLeaseRunsOut() {
        queue.enqueue(job(1), T0);

        List<Entry> first = queue.claimDue(T0, 10, "a", LEASE);
        assertThat(first).extracting(Entry::job).containsExactly(job(1));
        assertThat(first.get(0).attempts()).isZero();
        assertThat(queue.claimDue(T0.plusSeconds(1), 10, "b", LEASE)).as("leased to a").isEmpty();
        assertThat(queue.claimDue(T0.plus(LEASE), 10, "b", LEASE)).as("the lease still holds at its end").isEmpty();

        // a died: its lease runs out and b takes the entry; a, back, can neither complete nor reschedule it
        List<Entry> second = queue.claimDue(T0.plus(LEASE).plusMillis(1), 10, "b", LEASE);
        assertThat(second).extracting(Entry::job).containsExactly(job(1));
        assertThat(queue.complete(job(1), "a")).isFalse();
        assertThat(queue.reschedule(job(1), "a", T0, 1, "late")).isFalse();
        assertThat(queue.queued(List.of(job(1)))).containsExactly(job(1));
        assertThat(queue.complete(job(1), "b")).isTrue();
        assertThat(queue.queued(List.of(job(1)))).isEmpty();
        assertThat(queue.size()).isZero();
        assertThat(queue.claimDue(T0.plus(Duration.ofDays(1)), 10, "c", LEASE)).isEmpty();
    }

    @Test
    public void aRescheduledEntryComesBackWhenDueWithItsAttempts() {
        queue.enqueue(job(2), T0);
        assertThat(queue.claimDue(T0, 10, "a", LEASE)).hasSize(1);
        Instant next = T0.plusSeconds(30);
        assertThat(queue.reschedule(job(2), "a", next, 1, "x".repeat(5000))).as("a long error is shortened").isTrue();

        assertThat(queue.claimDue(next.minusMillis(1), 10, "a", LEASE)).as("not yet due").isEmpty();
        List<Entry> again = queue.claimDue(next, 10, "b", LEASE);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempts()).isEqualTo(1);
        assertThat(again.get(0).nextAttemptAt()).isEqualTo(next);
        assertThat(again.get(0).queuedAt()).isEqualTo(T0);
    }

    @Test
    public void queueingTwiceKeepsOneEntryAndItsState() {
        queue.enqueue(job(3), T0);
        queue.claimDue(T0, 10, "a", LEASE);
        queue.reschedule(job(3), "a", T0.plusSeconds(60), 2, "failed");
        queue.enqueue(job(3), T0.plusSeconds(1));

        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.claimDue(T0.plusSeconds(1), 10, "a", LEASE)).as("still waiting for its retry").isEmpty();
        assertThat(queue.claimDue(T0.plusSeconds(60), 10, "a", LEASE)).singleElement()
                .extracting(Entry::attempts).isEqualTo(2);
    }

    @Test
    public void anEntryIsWrittenWithTheCallersTransactionOrNotAtAll() {
        assertThatThrownBy(() -> repos.transactor().inTransaction(() -> {
            queue.enqueue(job(4), T0);
            throw new IllegalStateException("the completion failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(queue.size()).isZero();

        repos.transactor().inTransaction(() -> {
            queue.enqueue(job(5), T0);
            return null;
        });
        assertThat(queue.queued(List.of(job(4), job(5)))).containsExactly(job(5));
    }

    @Test
    public void claimsTakeTheOldestDueFirstUpToTheLimit() {
        queue.enqueue(job(12), T0.plusSeconds(2));
        queue.enqueue(job(10), T0);
        queue.enqueue(job(11), T0.plusSeconds(1));
        queue.enqueue(job(13), T0.plusSeconds(100));

        assertThat(queue.claimDue(T0.plusSeconds(10), 2, "a", LEASE)).extracting(Entry::job)
                .containsExactly(job(10), job(11));
        assertThat(queue.claimDue(T0.plusSeconds(10), 10, "b", LEASE)).extracting(Entry::job)
                .containsExactly(job(12));
        assertThat(queue.queued(List.of(job(10), job(11), job(12), job(13), job(14))))
                .containsExactlyInAnyOrder(job(10), job(11), job(12), job(13));
    }

    @Test
    public void concurrentClaimersNeverShareAnEntry() throws Exception {
        int entries = 60;
        for (int i = 0; i < entries; i++) {
            queue.enqueue(job(100 + i), T0);
        }
        int claimers = 4;
        Set<JobId> seen = ConcurrentHashMap.newKeySet();
        List<JobId> claimedTwice = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String owner = "claimer-" + c;
                done.add(pool.submit(() -> {
                    start.await();
                    List<Entry> got;
                    while (!(got = queue.claimDue(T0, 3, owner, LEASE)).isEmpty()) {
                        for (Entry entry : got) {
                            if (!seen.add(entry.job())) {
                                claimedTwice.add(entry.job());
                            }
                            assertThat(queue.complete(entry.job(), owner)).isTrue();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(claimedTwice).isEmpty();
        assertThat(seen).hasSize(entries);
        assertThat(queue.size()).isZero();
    }
}
