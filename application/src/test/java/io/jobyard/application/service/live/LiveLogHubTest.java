package io.jobyard.application.service.live;

import io.jobyard.application.port.in.live.FollowEnd;
import io.jobyard.application.port.in.live.LiveLogEvent;
import io.jobyard.application.port.in.live.LogFollow;
import io.jobyard.application.port.out.LiveLogSignals;
import io.jobyard.application.port.out.LiveLogSignals.Signal;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LiveLogHubTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<LiveWorld> worlds = new ArrayList<>();

    private LiveWorld world() {
        return world(LiveWorld.SETTINGS, LiveLogSignals.LOCAL_ONLY);
    }

    private LiveWorld world(LiveLogSettings settings, LiveLogSignals signals) {
        LiveWorld world = new LiveWorld(settings, signals);
        worlds.add(world);
        return world;
    }

    @AfterEach
    void closeWorlds() {
        worlds.forEach(LiveWorld::close);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void awaitBytes(RecordingSink sink, byte[] expected) {
        await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.bytes().length >= expected.length);
        assertThat(sink.bytes()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------------------------------------ bytes

    @Nested
    class Bytes {
        @Test
        void aFollowerGetsTheStatusThenTheLogThenEveryAppendByteForByte() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            // Invalid UTF-8 (a lone continuation byte, a cut multi-byte sequence), a colour escape, and the job token,
            // which the append masks before storing: the follower gets the stored bytes, never re-decoded.
            byte[] first = concat(bytes("\u001b[32;1m$ make\u001b[0m\n"), new byte[] {(byte) 0x80, (byte) 0xE2,
                    (byte) 0x82}, bytes("\n"));
            w.append(job, first);
            RecordingSink sink = RecordingSink.from(0);

            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            awaitBytes(sink, first);
            byte[] second = bytes("token " + LiveWorld.tokenOf(job) + " and \u00e9\n");
            w.append(job, second);
            byte[] stored = w.storedLog(job);

            awaitBytes(sink, stored);
            assertThat(new String(stored, StandardCharsets.UTF_8)).doesNotContain(LiveWorld.tokenOf(job));
            assertThat(sink.events.get(0)).isEqualTo(new LiveLogEvent.Status(JobStatus.RUNNING));
            assertThat(sink.violations).isEmpty();
            assertThat(sink.closedReason()).isNull();
        }

        @Test
        void eachPartCarriesTheOffsetAfterItSoAClientCanResumeAnywhere() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            byte[] log = new byte[5000];
            new Random(7).nextBytes(log);
            w.append(job, log);
            RecordingSink whole = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, whole);
            awaitBytes(whole, log);

            long resumeAt = whole.eventsOf(LiveLogEvent.Bytes.class).get(1).end();
            RecordingSink resumed = RecordingSink.from(resumeAt);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), resumeAt, resumed);

            awaitBytes(resumed, java.util.Arrays.copyOfRange(log, (int) resumeAt, log.length));
            assertThat(resumed.eventsOf(LiveLogEvent.Bytes.class).get(0).start()).isEqualTo(resumeAt);
            assertThat(whole.eventsOf(LiveLogEvent.Bytes.class)).allSatisfy(part ->
                    assertThat(part.data().length).isLessThanOrEqualTo(LiveWorld.SETTINGS.chunkSize()));
            assertThat(resumed.violations).isEmpty();
        }

        @Test
        void anAppendIsReadOnceHoweverManyFollowIt() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            w.append(job, bytes("start\n"));
            List<RecordingSink> sinks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                RecordingSink sink = RecordingSink.from(6);
                w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 6, sink);
                sinks.add(sink);
            }
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sinks.stream().allMatch(s -> !s.events.isEmpty()));
            int readsBefore = w.traces.reads.get();

            w.append(job, bytes("one line for everyone\n"));

            byte[] expected = bytes("one line for everyone\n");
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT)
                    .until(() -> sinks.stream().allMatch(s -> s.bytes().length == expected.length));
            assertThat(sinks).allSatisfy(sink -> assertThat(sink.bytes()).isEqualTo(expected));
            // One read for the 200 followers; the append's own masking reads its stored tail once.
            assertThat(w.traces.reads.get() - readsBefore).isEqualTo(2);
            // ...and the very same array was handed to each of them.
            byte[] shared = sinks.get(0).eventsOf(LiveLogEvent.Bytes.class).get(0).data();
            assertThat(sinks).allSatisfy(s -> assertThat(s.eventsOf(LiveLogEvent.Bytes.class).get(0).data())
                    .isSameAs(shared));
        }

        @Test
        void theAppendTellsFollowersOnlyAfterTheBytesAreStored() {
            Bus bus = new Bus();
            LiveWorld w = world(LiveWorld.SETTINGS, bus.transport());
            Job job = w.runningJob("build");
            List<String> heard = new CopyOnWriteArrayList<>();
            bus.whenPublished = signal -> heard.add(signal.length() + " stored " + w.traces.length(signal.job()));

            w.append(job, bytes("0123456789"));

            assertThat(heard).containsExactly("10 stored 10");
        }
    }

    // ------------------------------------------------------------------------------------------------ access

    @Nested
    class Access {
        @Test
        void whoMayNotReadTheTraceMayNotFollowIt() {
            LiveWorld w = world();
            Job job = w.runningJob("build");

            assertThatThrownBy(() -> w.readTrace.readTrace(w.as(w.outsider), w.ref, job.id()))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> w.hub.follow(w.as(w.outsider), w.ref, job.id(), 0, RecordingSink.from(0)))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> w.hub.follow(io.jobyard.domain.access.Actor.ANONYMOUS, w.ref, job.id(), 0,
                    RecordingSink.from(0))).isInstanceOf(NotFoundException.class);
            assertThat(w.hub.followers()).isZero();
        }

        @Test
        void anOffsetPastTheEndIsRefusedWithTheCurrentLengthAndANegativeOneAsBadRequest() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            w.append(job, bytes("12345"));

            assertThatThrownBy(() -> w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 6, RecordingSink.from(6)))
                    .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                            e -> assertThat(e.currentLength()).isEqualTo(5));
            assertThatThrownBy(() -> w.hub.follow(w.as(w.maintainer), w.ref, job.id(), -1, RecordingSink.from(0)))
                    .isInstanceOf(BadRequestException.class);
            assertThat(w.hub.followers()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------------ status and end

    @Nested
    class StatusAndEnd {
        @Test
        void theJobFinishingDeliversTheRestThenTheStatusThenTheEnd() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            RecordingSink sink = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            // The first status is the job's as the follow's first pass finds it: wait for it to be "running".
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> !sink.events.isEmpty());
            w.append(job, bytes("$ make\n"));
            w.append(job, bytes("done\n"));

            w.succeed(job);

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
            assertThat(sink.closedReason()).isEqualTo(FollowEnd.COMPLETE);
            assertThat(sink.bytes()).isEqualTo(bytes("$ make\ndone\n"));
            assertThat(sink.signals()).containsExactly(new LiveLogEvent.Status(JobStatus.RUNNING),
                    new LiveLogEvent.Status(JobStatus.SUCCESS), new LiveLogEvent.End(JobStatus.SUCCESS, 12));
            assertThat(sink.events.get(sink.events.size() - 1)).isInstanceOf(LiveLogEvent.End.class);
            assertThat(w.hub.followers()).isZero();
            assertThat(sink.violations).isEmpty();
        }

        /**
         * Issue 18: the ending queues the archive and the runner's PUT is answered before it is made. Until the archive
         * worker records it the job has ended but its log is not final — however long that takes (the archiving wait
         * is for logs no ending queued) — and the follow then ends with the archived bytes.
         */
        @Test
        void aJobEndedButNotYetArchivedIsNotFinalUntilItsArchiveIsRecorded() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            RecordingSink sink = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> !sink.events.isEmpty());
            w.append(job, bytes("$ make\n"));

            w.endOnly(job);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT)
                    .until(() -> sink.signals().contains(new LiveLogEvent.Status(JobStatus.SUCCESS)));
            w.clock.advance(LiveWorld.SETTINGS.archiveWait().multipliedBy(10));
            w.hub.poll();
            await().pollDelay(Duration.ofMillis(100)).atMost(WAIT).until(() -> true);
            assertThat(sink.closedReason()).as("ended, its archive still queued").isNull();
            assertThat(w.traces.length(job.id())).isEqualTo(7);

            assertThat(w.archiver.archiveAllDue()).isEqualTo(1);

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
            assertThat(sink.closedReason()).isEqualTo(FollowEnd.COMPLETE);
            assertThat(w.traces.length(job.id())).as("archived, the live chunks gone").isZero();
            assertThat(sink.bytes()).isEqualTo(bytes("$ make\n"));
            assertThat(sink.signals()).filteredOn(event -> !(event instanceof LiveLogEvent.Heartbeat))
                    .as("heartbeats aside, as the clock moved on").containsExactly(
                            new LiveLogEvent.Status(JobStatus.RUNNING), new LiveLogEvent.Status(JobStatus.SUCCESS),
                            new LiveLogEvent.End(JobStatus.SUCCESS, 7));
            assertThat(sink.violations).isEmpty();
        }

        @Test
        void aFinishedJobsArchivedLogIsDeliveredWholeAndEnds() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            w.append(job, bytes("all of it\n"));
            w.succeed(job);
            assertThat(w.traces.length(job.id())).as("archived: no live log left").isZero();
            RecordingSink sink = RecordingSink.from(3);

            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 3, sink);

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
            assertThat(sink.bytes()).isEqualTo(bytes(" of it\n"));
            assertThat(sink.signals()).containsExactly(new LiveLogEvent.Status(JobStatus.SUCCESS),
                    new LiveLogEvent.End(JobStatus.SUCCESS, 10));
        }

        @Test
        void aStatusChangeMadeElsewhereIsToldOnThePoll() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            RecordingSink sink = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> !sink.events.isEmpty());
            // Another instance (or the API) moved the job to canceling; nothing told this one.
            Job current = w.repos.jobs().findById(job.id()).orElseThrow();
            w.repos.jobs().update(current.toBuilder().status(JobStatus.CANCELING).build());

            w.hub.poll();

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.signals().size() == 2);
            assertThat(sink.signals().get(1)).isEqualTo(new LiveLogEvent.Status(JobStatus.CANCELING));
            assertThat(sink.closedReason()).isNull();
        }

        @Test
        void aLiveLogLeftByAJobCanceledThroughTheApiIsFinalAfterTheArchivingWait() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            w.append(job, bytes("half a log\n"));
            RecordingSink sink = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            Job current = w.repos.jobs().findById(job.id()).orElseThrow();
            // Canceled through the API for a runner that cannot cancel gracefully: finished, never archived.
            w.repos.jobs().update(current.cancel(false, w.clock.instant()));
            w.hub.poll();
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.signals().contains(new LiveLogEvent.Status(JobStatus.CANCELED)));
            assertThat(sink.closedReason()).isNull();

            w.clock.advance(LiveWorld.SETTINGS.archiveWait());
            w.hub.poll();

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
            assertThat(sink.eventsOf(LiveLogEvent.End.class)).containsExactly(
                    new LiveLogEvent.End(JobStatus.CANCELED, 11));
            assertThat(sink.bytes()).isEqualTo(bytes("half a log\n"));
        }

        @Test
        void aLogErasedWhileAFollowerCatchesUpEndsTheFollow() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            byte[] log = new byte[30_000];
            new Random(5).nextBytes(log);
            w.append(job, log);
            w.succeed(job);
            RecordingSink sink = RecordingSink.stalled(0);
            LogFollow follow = w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.bytes().length > 0);
            // Erased (as JobActionsService erases): the log is removed and the job records it.
            w.repos.artifacts().findByJob(job.id()).forEach(a -> w.repos.artifacts().delete(a.id()));
            Job current = w.repos.jobs().findById(job.id()).orElseThrow();
            w.repos.jobs().update(current.erase(w.maintainer.id(), w.clock.instant()));

            w.hub.jobChanged(job.id());
            sink.drain();
            follow.drained();

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
            assertThat(sink.closedReason()).isEqualTo(FollowEnd.COMPLETE);
            assertThat(sink.eventsOf(LiveLogEvent.End.class)).containsExactly(
                    new LiveLogEvent.End(JobStatus.SUCCESS, 0));
            assertThat(sink.bytes().length).isLessThan(log.length);
            assertThat(sink.violations).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ hand-over

    @Nested
    class ArchivingHandOver {
        @Test
        void aFollowerReadingThroughTheArchivingGetsEveryByteOnce() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            Random random = new Random(42);
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                byte[] part = new byte[700 + random.nextInt(900)];
                random.nextBytes(part);
                w.append(job, part);
                written.writeBytes(part);
            }
            // Catches up from 0 on a stalled connection: it gets what fits, then waits for its client.
            RecordingSink stalled = RecordingSink.stalled(0);
            LogFollow follow = w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, stalled);
            RecordingSink live = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, live);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> stalled.bytes().length > 0 && live.bytes().length == written.size());
            assertThat(stalled.bytes().length).isLessThan(written.size());

            for (int i = 0; i < 5; i++) {
                byte[] part = new byte[1500];
                random.nextBytes(part);
                w.append(job, part);
                written.writeBytes(part);
            }
            w.succeed(job);
            assertThat(w.traces.length(job.id())).as("the live log is gone: archived").isZero();
            // The stalled client reads on; the rest comes from the archived copy.
            stalled.drain();
            follow.drained();

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> stalled.closedReason() != null && live.closedReason() != null);
            assertThat(stalled.bytes()).isEqualTo(written.toByteArray());
            assertThat(live.bytes()).isEqualTo(written.toByteArray());
            assertThat(w.storedLog(job)).isEqualTo(written.toByteArray());
            assertThat(stalled.violations).isEmpty();
            assertThat(live.violations).isEmpty();
            assertThat(stalled.closedReason()).isEqualTo(FollowEnd.COMPLETE);
        }

        @Test
        void appendsRacingTheFinishAreDeliveredOnceAcrossTheHandOver() throws Exception {
            for (int round = 0; round < 20; round++) {
                LiveWorld w = world();
                Job job = w.runningJob("build");
                List<RecordingSink> sinks = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    RecordingSink sink = RecordingSink.from(0);
                    w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
                    sinks.add(sink);
                }
                Thread runner = new Thread(() -> {
                    for (int i = 0; i < 30; i++) {
                        w.append(job, bytes("line " + i + "\n"));
                    }
                    w.succeed(job);
                });
                runner.start();
                runner.join();

                byte[] stored = w.storedLog(job);
                for (RecordingSink sink : sinks) {
                    await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
                    assertThat(sink.bytes()).isEqualTo(stored);
                    assertThat(sink.violations).isEmpty();
                    assertThat(sink.eventsOf(LiveLogEvent.End.class)).hasSize(1);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ slow followers

    @Nested
    class SlowFollowers {
        @Test
        void aFollowerWhoseClientStopsReadingIsCutOffPastTheBoundAndTheOthersGoOn() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            RecordingSink stuck = RecordingSink.stalled(0);
            RecordingSink reading = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, stuck);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, reading);
            ByteArrayOutputStream written = new ByteArrayOutputStream();

            for (int i = 0; i < 12; i++) {
                byte[] part = new byte[1000];
                java.util.Arrays.fill(part, (byte) ('a' + i));
                w.append(job, part);
                written.writeBytes(part);
            }

            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> stuck.closedReason() != null
                    && reading.bytes().length == written.size());
            assertThat(stuck.closedReason()).isEqualTo(FollowEnd.TOO_SLOW);
            assertThat(stuck.bytes().length).isLessThanOrEqualTo((int) LiveWorld.SETTINGS.maxPendingBytes()
                    + LiveWorld.SETTINGS.chunkSize());
            assertThat(reading.bytes()).isEqualTo(written.toByteArray());
            assertThat(reading.closedReason()).isNull();
            assertThat(w.hub.followers()).isEqualTo(1);
        }

        @Test
        void aFollowerCatchingUpIsPacedByItsClientNotCutOff() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            byte[] log = new byte[40_000];
            new Random(3).nextBytes(log);
            w.append(job, log);
            RecordingSink sink = RecordingSink.stalled(0);
            LogFollow follow = w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.bytes().length > 0);

            // Never more than the bound waits in the sink...
            for (int i = 0; i < 3; i++) {
                w.hub.poll();
            }
            await().pollDelay(Duration.ofMillis(50)).atMost(WAIT).until(() -> true);
            assertThat(sink.pendingBytes()).isLessThanOrEqualTo(LiveWorld.SETTINGS.maxPendingBytes());
            assertThat(sink.closedReason()).isNull();

            // ...and each time the client has read it, the next part comes.
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> {
                sink.drainOnce();
                follow.drained();
                return sink.bytes().length == log.length;
            });
            assertThat(sink.bytes()).isEqualTo(log);
            assertThat(sink.closedReason()).isNull();
            assertThat(sink.violations).isEmpty();
        }

        @Test
        void aCanceledFollowIsClosedAndGetsNothingMore() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            RecordingSink sink = RecordingSink.from(0);
            LogFollow follow = w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> !sink.events.isEmpty());

            follow.cancel();
            await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.closedReason() != null);
            w.append(job, bytes("after\n"));
            w.hub.poll();

            assertThat(sink.closedReason()).isEqualTo(FollowEnd.CANCELED);
            assertThat(sink.bytes()).isEmpty();
            assertThat(sink.violations).isEmpty();
            assertThat(w.hub.followers()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------------------ heartbeats

    @Test
    void anIdleFollowerGetsAHeartbeatOnceTheIntervalHasPassed() {
        LiveWorld w = world(LiveWorld.SETTINGS.withHeartbeat(Duration.ofSeconds(15)), LiveLogSignals.LOCAL_ONLY);
        Job job = w.runningJob("build");
        RecordingSink sink = RecordingSink.from(0);
        w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
        await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> !sink.events.isEmpty());

        w.clock.advance(Duration.ofSeconds(14));
        w.hub.poll();
        await().pollDelay(Duration.ofMillis(100)).atMost(WAIT).until(() -> true);
        assertThat(sink.eventsOf(LiveLogEvent.Heartbeat.class)).isEmpty();

        w.clock.advance(Duration.ofSeconds(1));
        w.hub.poll();
        await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.eventsOf(LiveLogEvent.Heartbeat.class).size() == 1);

        w.clock.advance(Duration.ofSeconds(15));
        w.hub.poll();
        await().pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> sink.eventsOf(LiveLogEvent.Heartbeat.class).size() == 2);
    }

    // ------------------------------------------------------------------------------------------------ other instances

    @Nested
    class OtherInstances {
        @Test
        void withoutNotificationsAnAppendMadeElsewhereIsFoundByThePoll() {
            LiveWorld w = world();
            Job job = w.runningJob("build");
            RecordingSink sink = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            // Another instance appends to the shared store; nothing tells this one.
            w.traces.append(job.id(), 0, new ByteArrayInputStream(bytes("from elsewhere\n")), 1 << 20);
            await().pollDelay(Duration.ofMillis(100)).atMost(WAIT).until(() -> true);
            assertThat(sink.bytes()).isEmpty();

            w.hub.poll();

            awaitBytes(sink, bytes("from elsewhere\n"));
        }

        @Test
        void aSignalFromAnotherInstanceDeliversItsAppendWithoutWaitingForThePoll() {
            Bus bus = new Bus();
            LiveWorld w = world(LiveWorld.SETTINGS, bus.transport());
            Job job = w.runningJob("build");
            RecordingSink sink = RecordingSink.from(0);
            w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);
            w.traces.append(job.id(), 0, new ByteArrayInputStream(bytes("via the other\n")), 1 << 20);

            bus.fromAnotherInstance(Signal.logAppended(job.id(), 14));

            awaitBytes(sink, bytes("via the other\n"));
        }

        @Test
        void thisInstancesAppendsAndEndingsArePublishedToTheOthers() {
            Bus bus = new Bus();
            LiveWorld w = world(LiveWorld.SETTINGS, bus.transport());
            Job job = w.runningJob("build");

            w.append(job, bytes("12345"));
            w.succeed(job);

            // The job changed twice for its followers: it ended, then its archive was recorded (its log became final).
            assertThat(bus.published).containsExactly(Signal.logAppended(job.id(), 5), Signal.jobChanged(job.id()),
                    Signal.jobChanged(job.id()));
        }
    }

    @Test
    void closingTheHubClosesEveryFollowForShutdown() {
        LiveWorld w = world();
        Job job = w.runningJob("build");
        RecordingSink sink = RecordingSink.from(0);
        w.hub.follow(w.as(w.maintainer), w.ref, job.id(), 0, sink);

        w.hub.close();

        assertThat(sink.closedReason()).isEqualTo(FollowEnd.SHUTDOWN);
        assertThat(sink.violations).isEmpty();
    }

    /** A transport between this instance and a pretended other one. */
    static final class Bus {
        final List<Signal> published = new CopyOnWriteArrayList<>();
        volatile LiveLogSignals.Receiver receiver;
        /** Called as each signal is published, on the publishing thread. */
        volatile Consumer<Signal> whenPublished = signal -> { };

        LiveLogSignals transport() {
            return new LiveLogSignals() {
                @Override
                public void publish(Signal signal) {
                    published.add(signal);
                    whenPublished.accept(signal);
                }

                @Override
                public void listen(Receiver value) {
                    receiver = value;
                }

                @Override
                public boolean reachesOtherInstances() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }

        void fromAnotherInstance(Signal signal) {
            receiver.received(signal);
        }
    }
}
