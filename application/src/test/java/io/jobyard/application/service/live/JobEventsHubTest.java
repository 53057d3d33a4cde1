package io.jobyard.application.service.live;

import io.jobyard.application.contract.EventStores;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryEventStores;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.event.JobHookPayload;
import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.JobEventSink;
import io.jobyard.application.port.in.live.JobEventsFollow;
import io.jobyard.application.port.in.live.JobStreamEvent;
import io.jobyard.application.port.out.EventLog;
import io.jobyard.application.service.MutableClock;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The job events hub over the in-memory ports: followers that keep up are fed by the tailer's feed with no read of
 * the log each; a gap sends a follower to the log; a resume reads from the log, paced by the sink; a pruned resume
 * point is a reset; who may follow is who may list the jobs.
 */
class JobEventsHubTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(TestData.T0.plus(Duration.ofDays(1)));
    private final EventStores stores = InMemoryEventStores.create();
    private final Repositories repos = stores.repos();
    private final TestData data = new TestData(repos);
    private final CountingLog log = new CountingLog(stores.events());
    private final AtomicInteger feedsStarted = new AtomicInteger();
    private final JobEventsHub hub = new JobEventsHub(new ProjectGate(repos.projects(), repos.jobs()), log,
            new EventPayloads(repos.jobs(), repos.pipelines(), repos.projects(), repos.users(), repos.runners(),
                    repos.artifacts(), repos.transactor(), clock),
            payload -> payload instanceof JobHookPayload job ? "status " + job.event().status().wireName() : "pipeline",
            repos.transactor(), LiveLogSettings.DEFAULTS.withHeartbeat(Duration.ofHours(1))
            .withChunkSize(1024).withMaxPendingBytes(4096), clock, feedsStarted::incrementAndGet);

    private final User maintainer = data.user("max");
    private final User outsider = data.user("otto");
    private final Project project = data.project("acme", "app", Visibility.PRIVATE, false);
    private final ProjectRef ref = ProjectRef.of(project.id());
    private final Pipeline pipeline = data.pipeline(project, "main");
    private final Job job = data.job(pipeline, "build", JobStatus.CREATED);

    JobEventsHubTest() {
        data.member(project, maintainer, Role.MAINTAINER);
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    /** Commits a status change of the job to the log, as the outbox does. */
    private StatusEvent change(JobStatus from, JobStatus to) {
        return log.append(List.of(StatusEvent.Change.ofJob(project.id(), job.id(), pipeline.id(), from, to)),
                clock.instant()).get(0);
    }

    private StatusEvent pipelineChange(JobStatus to) {
        return log.append(List.of(StatusEvent.Change.ofPipeline(project.id(), pipeline.id(), null, to)),
                clock.instant()).get(0);
    }

    /** What the tailer's feed does for a committed event. */
    private void feed(StatusEvent event) {
        hub.committed(event, event.job() == null ? "pipeline" : "status " + event.status().wireName());
    }

    @Test
    void followersThatKeepUpAreFedByTheTailerWithoutReadingTheLogEach() {
        List<Sink> sinks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Sink sink = new Sink();
            sinks.add(sink);
            hub.follow(as(maintainer), ref, OptionalLong.empty(), sink);
        }
        assertThat(feedsStarted).hasValue(1);
        // Each new follower looks once at the log for what committed since it read the project's number.
        await().atMost(WAIT).until(() -> hub.followers() == 50 && log.reads.get() >= 50);
        await().pollDelay(Duration.ofMillis(200)).atMost(WAIT).until(() -> true);
        int readsBefore = log.reads.get();

        StatusEvent pending = change(JobStatus.CREATED, JobStatus.PENDING);
        StatusEvent pipelineRuns = pipelineChange(JobStatus.RUNNING);
        StatusEvent running = change(JobStatus.PENDING, JobStatus.RUNNING);
        List.of(pending, pipelineRuns, running).forEach(this::feed);

        for (Sink sink : sinks) {
            await().atMost(WAIT).until(() -> sink.jobs().size() == 2);
            assertThat(sink.jobs()).containsExactly(new JobStreamEvent.Job(pending.seq(), "status pending"),
                    new JobStreamEvent.Job(running.seq(), "status running"));
        }
        assertThat(log.reads.get()).isEqualTo(readsBefore);
    }

    @Test
    void aGapInTheFeedIsFilledFromTheLogInOrder() {
        Sink sink = new Sink();
        hub.follow(as(maintainer), ref, OptionalLong.empty(), sink);
        await().atMost(WAIT).until(() -> log.reads.get() >= 1);
        StatusEvent pending = change(JobStatus.CREATED, JobStatus.PENDING);
        StatusEvent running = change(JobStatus.PENDING, JobStatus.RUNNING);
        StatusEvent success = change(JobStatus.RUNNING, JobStatus.SUCCESS);
        feed(success); // the feed lost the first two

        await().atMost(WAIT).until(() -> sink.jobs().size() == 3);
        assertThat(sink.jobs()).extracting(JobStreamEvent.Job::seq)
                .containsExactly(pending.seq(), running.seq(), success.seq());
        feed(running); // late and repeated: not told twice
        feed(success);
        await().pollDelay(Duration.ofMillis(200)).atMost(WAIT).until(() -> true);
        assertThat(sink.jobs()).hasSize(3);
    }

    @Test
    void aResumeReadsTheLogPacedByWhatTheSinkHolds() {
        List<StatusEvent> committed = new ArrayList<>();
        JobStatus from = JobStatus.CREATED;
        for (int i = 0; i < 300; i++) {
            JobStatus to = i % 2 == 0 ? JobStatus.PENDING : JobStatus.RUNNING;
            committed.add(change(from, to));
            from = to;
        }
        Sink slow = new Sink();
        slow.holding = true; // takes nothing: what it is offered stays pending
        JobEventsFollow follow = hub.follow(as(maintainer), ref, OptionalLong.of(committed.get(9).seq()), slow);
        // The bound is 4096 bytes; a catching-up follower gets a page only while it holds at most half of it.
        await().atMost(WAIT).until(() -> slow.jobs().size() >= 100);
        await().pollDelay(Duration.ofMillis(200)).atMost(WAIT).until(() -> true);
        int firstPart = slow.jobs().size();
        assertThat(firstPart).isLessThan(290);
        assertThat(slow.closed).isNull();

        slow.holding = false;
        slow.pending.set(0);
        follow.drained();
        await().atMost(WAIT).until(() -> slow.jobs().size() == 290);
        assertThat(slow.jobs()).extracting(JobStreamEvent.Job::seq)
                .containsExactlyElementsOf(committed.subList(10, 300).stream().map(StatusEvent::seq).toList());
        assertThat(slow.events.stream().filter(e -> e instanceof JobStreamEvent.Reset)).isEmpty();
    }

    @Test
    void aResumePointWhoseSuccessorsWerePrunedOrThatNeverExistedIsAReset() {
        change(JobStatus.CREATED, JobStatus.PENDING);
        change(JobStatus.PENDING, JobStatus.RUNNING);
        log.pruneBefore(clock.instant().plusSeconds(1), 100);
        clock.advance(Duration.ofMinutes(1));
        StatusEvent after = change(JobStatus.RUNNING, JobStatus.SUCCESS);

        Sink pruned = new Sink();
        Sink unknown = new Sink();
        Sink current = new Sink();
        hub.follow(as(maintainer), ref, OptionalLong.of(1), pruned);
        hub.follow(as(maintainer), ref, OptionalLong.of(99), unknown);
        hub.follow(as(maintainer), ref, OptionalLong.of(2), current);

        await().atMost(WAIT).until(() -> !pruned.events.isEmpty() && !unknown.events.isEmpty()
                && current.jobs().size() == 1);
        assertThat(pruned.events).containsExactly(new JobStreamEvent.Reset(3));
        assertThat(unknown.events).containsExactly(new JobStreamEvent.Reset(3));
        assertThat(current.jobs()).containsExactly(new JobStreamEvent.Job(after.seq(), "status success"));
    }

    @Test
    void whoMayFollowIsWhoMayListTheJobs() {
        assertThatThrownBy(() -> hub.follow(as(outsider), ref, OptionalLong.empty(), new Sink()))
                .isInstanceOf(NotFoundException.class);
        Project publicWithoutBuilds = data.project("acme", "open", Visibility.PUBLIC, false);
        assertThatThrownBy(() -> hub.follow(as(outsider), ProjectRef.of(publicWithoutBuilds.id()),
                OptionalLong.empty(), new Sink())).isInstanceOf(ForbiddenException.class);
        assertThat(hub.followers()).isZero();
        assertThat(feedsStarted).hasValue(0);
    }

    @Test
    void aCanceledFollowIsClosedAndForgotten() {
        Sink sink = new Sink();
        JobEventsFollow follow = hub.follow(as(maintainer), ref, OptionalLong.empty(), sink);
        follow.cancel();
        await().atMost(WAIT).until(() -> sink.closed == FollowEnd.CANCELED);
        assertThat(hub.followers()).isZero();
    }

    /** Counts the reads of the log a follower's catch-up makes. */
    private static final class CountingLog implements EventLog {
        final EventLog delegate;
        final AtomicInteger reads = new AtomicInteger();

        CountingLog(EventLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<StatusEvent> append(List<StatusEvent.Change> changes, Instant recordedAt) {
            return delegate.append(changes, recordedAt);
        }

        @Override
        public List<StatusEvent> projectEventsAfter(ProjectId project, long afterSeq, int limit) {
            reads.incrementAndGet();
            return delegate.projectEventsAfter(project, afterSeq, limit);
        }

        @Override
        public long lastSeq(ProjectId project) {
            return delegate.lastSeq(project);
        }

        @Override
        public List<StatusEvent> after(long afterId, int limit) {
            return delegate.after(afterId, limit);
        }

        @Override
        public List<StatusEvent> byIds(Collection<Long> ids) {
            return delegate.byIds(ids);
        }

        @Override
        public long lastId() {
            return delegate.lastId();
        }

        @Override
        public int pruneBefore(Instant before, int limit) {
            return delegate.pruneBefore(before, limit);
        }
    }

    /** Records what it is told; while {@code holding}, keeps every offered byte pending (a client that reads nothing). */
    private static final class Sink implements JobEventSink {
        final List<JobStreamEvent> events = new CopyOnWriteArrayList<>();
        final AtomicLong pending = new AtomicLong();
        volatile boolean holding;
        volatile FollowEnd closed;

        @Override
        public long offer(JobStreamEvent event) {
            events.add(event);
            return holding ? pending.addAndGet(20) : 0;
        }

        @Override
        public long pendingBytes() {
            return pending.get();
        }

        @Override
        public void closed(FollowEnd reason) {
            closed = reason;
        }

        List<JobStreamEvent.Job> jobs() {
            return events.stream().filter(e -> e instanceof JobStreamEvent.Job).map(e -> (JobStreamEvent.Job) e)
                    .toList();
        }
    }
}
