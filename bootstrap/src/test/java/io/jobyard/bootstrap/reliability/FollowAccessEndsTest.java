package io.jobyard.bootstrap.reliability;

import io.jobyard.application.service.live.LiveLogSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live stream is not a way around losing access: a follower whose token is revoked, whose user is blocked or whose
 * membership is removed is cut off at its next access check (once per heartbeat interval), while a follower that may
 * still read goes on. Without the check each of these streams would stay open, fed with heartbeats, for as long as the
 * client liked.
 */
class FollowAccessEndsTest {
    private static final String ADMIN_TOKEN = "follow-access-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private LiveServer live;
    private Api api;
    private LiveServer.RunningJob running;
    private long developer;
    private long developerTokenId;
    private String developerToken;

    @BeforeEach
    void start() throws Exception {
        live = LiveServer.start(dir, ADMIN_TOKEN, "guarded", builder -> builder
                .liveLog(LiveLogSettings.DEFAULTS.withHeartbeat(Duration.ofMillis(300)))
                .eventPollInterval(Duration.ofMillis(100)));
        api = live.api;
        running = live.takeJob();
        running.append("$ make\n".getBytes(StandardCharsets.UTF_8));
        developer = api.adminExpect("POST", "/users", "username=dev&name=dev&email=dev%40example.com", 201)
                .get("id").asLong();
        var token = api.adminExpect("POST", "/users/" + developer + "/personal_access_tokens",
                "name=t&scopes%5B%5D=read_api", 201);
        developerTokenId = token.get("id").asLong();
        developerToken = token.get("token").asText();
        api.adminExpect("POST", "/projects/" + live.project + "/members",
                "user_id=" + developer + "&access_level=30", 201);
    }

    @AfterEach
    void stop() {
        live.close();
    }

    private SseClient followLog(String token) throws Exception {
        SseClient sse = SseClient.open(live.base, running.tracePath(), Map.of("PRIVATE-TOKEN", token), true);
        assertThat(sse.status).isEqualTo(200);
        sse.awaitEvent(e -> e.event().equals("append"), WAIT);
        return sse;
    }

    private SseClient followEvents(String token) throws Exception {
        SseClient sse = SseClient.open(live.base, "/api/v4/projects/" + live.project + "/jobs/events",
                Map.of("PRIVATE-TOKEN", token), true);
        assertThat(sse.status).isEqualTo(200);
        return sse;
    }

    /** The developer's stream ends; the administrator's, opened at the same time, is still open a while later. */
    private void assertOnlyTheDevelopersStreamEnds(SseClient developers, SseClient administrators) {
        developers.awaitEnded(WAIT);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !administrators.ended);
    }

    @Test
    void aRevokedTokenEndsItsLogStream() throws Exception {
        try (SseClient developers = followLog(developerToken); SseClient administrators = followLog(ADMIN_TOKEN)) {
            api.adminExpect("DELETE", "/personal_access_tokens/" + developerTokenId, null, 204);
            assertOnlyTheDevelopersStreamEnds(developers, administrators);
        }
    }

    @Test
    void aRemovedMemberLosesTheLogStreamOfAPrivateProject() throws Exception {
        try (SseClient developers = followLog(developerToken); SseClient administrators = followLog(ADMIN_TOKEN)) {
            api.adminExpect("DELETE", "/projects/" + live.project + "/members/" + developer, null, 204);
            assertOnlyTheDevelopersStreamEnds(developers, administrators);
        }
    }

    @Test
    void aBlockedUserLosesTheJobEventsStream() throws Exception {
        try (SseClient developers = followEvents(developerToken);
             SseClient administrators = followEvents(ADMIN_TOKEN)) {
            api.adminExpect("POST", "/users/" + developer + "/block", null, 201);
            assertOnlyTheDevelopersStreamEnds(developers, administrators);
        }
    }
}
