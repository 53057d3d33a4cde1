package io.jobyard.bootstrap.reliability;

import io.jobyard.application.service.live.JobEventsHub;
import io.jobyard.application.service.live.LiveLogHub;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.bootstrap.Jobyard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, no unbounded buffering and no leaked follows, over real sockets: a follower that does not read is cut off
 * once what it has not taken passes the bound, while a follower that reads gets every byte and goes on; a client that
 * goes away ends its follow (the log's and the job events') on the server.
 */
class SlowAndGoneFollowersTest {
    private static final String ADMIN_TOKEN = "slow-followers-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BOUND = 64 * 1024;

    @TempDir
    Path dir;

    private LiveServer live;
    private Jobyard jobyard;
    private String base;
    private long project;
    private LiveServer.RunningJob running;
    private ByteArrayOutputStream sent;

    @BeforeEach
    void start() throws Exception {
        live = LiveServer.start(dir, ADMIN_TOKEN, "slow", builder -> builder.liveLog(LiveLogSettings.DEFAULTS
                .withHeartbeat(Duration.ofMillis(300)).withChunkSize(16 * 1024).withMaxPendingBytes(BOUND)));
        jobyard = live.jobyard;
        base = live.base;
        project = live.project;
        running = live.takeJob();
        sent = running.sent;
    }

    @AfterEach
    void stop() {
        live.close();
    }

    private String tracePath() {
        return running.tracePath();
    }

    private void append(byte[] part) throws Exception {
        running.append(part);
    }

    private LiveLogHub logFollows() {
        return (LiveLogHub) jobyard.useCases().followTrace();
    }

    private JobEventsHub eventFollows() {
        return (JobEventsHub) jobyard.useCases().followJobEvents();
    }

    @Test
    void aFollowerThatDoesNotReadIsCutOffWhileOneThatReadsGetsEverythingAndGoesOn() throws Exception {
        Map<String, String> admin = Map.of("PRIVATE-TOKEN", ADMIN_TOKEN);
        try (SseClient reader = SseClient.open(base, tracePath(), admin, true);
             SseClient stalled = SseClient.open(base, tracePath(), admin, false)) {
            assertThat(stalled.status).isEqualTo(200);
            await().atMost(WAIT).until(() -> logFollows().followers() == 2);
            Random random = new Random(16);
            // Appends a runner's size, each taken by the reader before the next, until the stalled one has overflowed
            // the bound plus what the sockets' buffers hold (a few MiB at most on loopback).
            for (int i = 0; i < 1500 && logFollows().followers() == 2; i++) {
                byte[] part = new byte[16 * 1024];
                random.nextBytes(part);
                append(part);
                await().atMost(WAIT).until(() -> reader.logLength() == sent.size());
            }
            await().atMost(WAIT).until(() -> logFollows().followers() == 1);
            // The server closed the stalled connection (the job still runs: a stream it keeps never ends).
            assertThat(stalled.serverClosedWithin(WAIT)).isTrue();

            append("still going\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> reader.logLength() == sent.size());
            assertThat(reader.logBytes()).isEqualTo(sent.toByteArray());
            assertThat(reader.ended).isFalse();
        }
        // A cut-off client resumes from its last id like any other.
        try (SseClient resumed = SseClient.open(base, tracePath(), Map.of("PRIVATE-TOKEN", ADMIN_TOKEN,
                "Last-Event-ID", Integer.toString(sent.size() - 12)), true)) {
            await().atMost(WAIT).until(() -> resumed.logBytes().length == 12);
            assertThat(new String(resumed.logBytes(), StandardCharsets.UTF_8)).isEqualTo("still going\n");
        }
    }

    @Test
    void aClientThatGoesAwayEndsItsFollowOnTheServer() throws Exception {
        Map<String, String> admin = Map.of("PRIVATE-TOKEN", ADMIN_TOKEN);
        SseClient log = SseClient.open(base, tracePath(), admin, true);
        SseClient events = SseClient.open(base, "/api/v4/projects/" + project + "/jobs/events", admin, true);
        try (SseClient staying = SseClient.open(base, tracePath(), admin, true)) {
            await().atMost(WAIT).until(() -> logFollows().followers() == 2 && eventFollows().followers() == 1);
            log.close();
            events.close();
            // Noticed at the next write at the latest (a heartbeat every 300 ms here, 15 s by default).
            await().atMost(WAIT).until(() -> logFollows().followers() == 1 && eventFollows().followers() == 0);
            append("after\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> staying.logBytes().length == sent.size());
        }
        await().atMost(WAIT).until(() -> logFollows().followers() == 0);
    }
}
