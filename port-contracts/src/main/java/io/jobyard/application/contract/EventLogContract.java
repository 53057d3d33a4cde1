package io.jobyard.application.contract;

import io.jobyard.application.port.out.EventLog;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The behaviour every {@link EventLog} has. Extend it and supply the stores, emptied. */
public abstract class EventLogContract extends RepositoryContract {
    protected EventStores stores;
    private EventLog log;

    protected abstract EventStores eventStores();

    @Override
    protected Repositories repositories() {
        stores = eventStores();
        return stores.repos();
    }

    @BeforeEach
    void openLog() {
        log = stores.events();
    }

    private static StatusEvent.Change job(long project, long job, JobStatus from, JobStatus to) {
        return StatusEvent.Change.ofJob(ProjectId.of(project), JobId.of(job), PipelineId.of(1), from, to);
    }

    @Test
    public void eachProjectNumbersItsEventsFromOneInOrder() {
        List<StatusEvent> first = log.append(List.of(job(1, 10, null, JobStatus.CREATED),
                job(2, 20, null, JobStatus.CREATED), job(1, 10, JobStatus.CREATED, JobStatus.PENDING)), T0);
        List<StatusEvent> second = log.append(List.of(StatusEvent.Change.ofPipeline(ProjectId.of(1),
                PipelineId.of(5), JobStatus.CREATED, JobStatus.PENDING)), T0.plusSeconds(1));

        assertThat(first).extracting(StatusEvent::seq).containsExactly(1L, 1L, 2L);
        assertThat(first).extracting(e -> e.project().value()).containsExactly(1L, 2L, 1L);
        assertThat(second.get(0).seq()).isEqualTo(3);
        assertThat(second.get(0).kind()).isEqualTo(EventKind.PIPELINE);
        assertThat(second.get(0).job()).isNull();
        List<StatusEvent> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).extracting(StatusEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(StatusEvent::uuid).doesNotHaveDuplicates();
        assertThat(log.projectEventsAfter(ProjectId.of(1), 0, 10)).containsExactly(first.get(0), first.get(2),
                second.get(0));
    }

    @Test
    public void eventsReadBackAsStored() {
        StatusEvent stored = log.append(List.of(job(7, 70, JobStatus.RUNNING, JobStatus.SUCCESS)), T0).get(0);
        assertThat(log.byIds(List.of(stored.id()))).containsExactly(stored);
        assertThat(stored.previous()).isEqualTo(JobStatus.RUNNING);
        assertThat(stored.status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(stored.recordedAt()).isEqualTo(T0);
    }

    @Test
    public void readersResumeFromASequenceNumberOrAnId() {
        List<StatusEvent> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.addAll(log.append(List.of(job(3, 30 + i, null, JobStatus.CREATED)), T0));
        }
        assertThat(log.projectEventsAfter(ProjectId.of(3), 2, 2)).extracting(StatusEvent::seq).containsExactly(3L, 4L);
        assertThat(log.after(stored.get(1).id(), 10)).containsExactlyElementsOf(stored.subList(2, 5));
        assertThat(log.lastId()).isEqualTo(stored.get(4).id());
        assertThat(log.byIds(List.of(stored.get(3).id(), stored.get(0).id(), Long.MAX_VALUE)))
                .containsExactly(stored.get(0), stored.get(3));
    }

    @Test
    public void anAppendRolledBackWithItsTransactionLeavesNothingAndNoGap() {
        assertThatThrownBy(() -> repos.transactor().inTransaction(() -> {
            log.append(List.of(job(4, 40, null, JobStatus.CREATED)), T0);
            throw new IllegalStateException("the change failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(log.projectEventsAfter(ProjectId.of(4), 0, 10)).isEmpty();
        assertThat(log.lastSeq(ProjectId.of(4))).isZero();
        assertThat(log.append(List.of(job(4, 40, null, JobStatus.CREATED)), T0).get(0).seq()).isEqualTo(1);
    }

    @Test
    public void pruningRemovesOldEventsAndNumbersGoOn() {
        log.append(List.of(job(5, 50, null, JobStatus.CREATED), job(5, 51, null, JobStatus.CREATED)), T0);
        StatusEvent recent = log.append(List.of(job(5, 52, null, JobStatus.CREATED)), T0.plusSeconds(3600)).get(0);

        assertThat(log.lastSeq(ProjectId.of(5))).isEqualTo(3);
        assertThat(log.pruneBefore(T0.plusSeconds(60), 100)).isEqualTo(2);
        assertThat(log.projectEventsAfter(ProjectId.of(5), 0, 10)).containsExactly(recent);
        // The number stays when its events are pruned: a reader resuming from 1 can tell that 2 is gone.
        assertThat(log.lastSeq(ProjectId.of(5))).isEqualTo(3);
        assertThat(log.lastSeq(ProjectId.of(6))).isZero();
        assertThat(log.append(List.of(job(5, 53, null, JobStatus.CREATED)), T0).get(0).seq()).isEqualTo(4);
    }

    /**
     * Concurrent appenders to one project get distinct numbers without gaps, and a reader following the project never
     * sees a number committed behind one it has already seen: what lets issue 16's stream resume by number.
     */
    @Test
    public void concurrentAppendersCommitInNumberOrder() throws Exception {
        int writers = 4;
        int each = 15;
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Long> seen = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        long jobId = 1000L * (writer + 1) + i;
                        repos.transactor().run(() -> log.append(List.of(job(9, jobId, null, JobStatus.CREATED)), T0));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        // The reader reads as often as it can while the writers commit, until it has seen every number.
        long[] cursor = {0};
        await("every event read").atMost(Duration.ofMinutes(1)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    for (StatusEvent event : log.projectEventsAfter(ProjectId.of(9), cursor[0], 1000)) {
                        if (event.seq() != cursor[0] + 1) {
                            failures.add(new AssertionError("saw " + event.seq() + " after " + cursor[0]));
                        }
                        cursor[0] = event.seq();
                        seen.add(cursor[0]);
                    }
                    return !failures.isEmpty() || cursor[0] >= (long) writers * each;
                });
        for (Thread thread : threads) {
            thread.join(60_000);
        }

        assertThat(failures).isEmpty();
        assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, (long) writers * each).boxed().toList());
    }
}
