package io.jobyard.bootstrap.e2e;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.http.throttle.ThrottleSettings;
import io.jobyard.adapter.http.throttle.TrustedProxies;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.application.service.MutableClock;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §3, the failed-authentication throttle on the assembled server: a client address guessing tokens gets GitLab's
 * throttle answer once it has had ten refusals, for every request and whatever it presents, until the ban ends; other
 * addresses are not touched; the ban is lifted by the hand-moved clock, not by waiting. The client address is the
 * socket's peer, or what a trusted proxy says it forwarded for.
 */
class AuthThrottleEndToEndTest {
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private Jobyard jobyard;
    private JobyardServer server;
    private HttpApi api;
    private String adminToken;

    private void start(TrustedProxies proxies) {
        HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 4));
        jobyard = Jobyard.builder().ownedDataSource(pool, pool).filesystemStorage(dir.resolve("storage"))
                .externalUrl(URI.create("http://jobyard.test")).clock(clock)
                .authenticationThrottle(new ThrottleSettings(10, Duration.ofMinutes(1), Duration.ofHours(1), proxies))
                .build();
        adminToken = jobyard.ensureFirstAdministrator(null).orElseThrow();
        server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5), jobyard::ready)
                .start();
        api = new HttpApi(URI.create("http://127.0.0.1:" + server.port() + "/api/v4"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (jobyard != null) {
            jobyard.close();
        }
    }

    private HttpApi.Response asClient(String forwardedFor, String token) {
        var request = api.request("/user");
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        if (token != null) {
            request.header("PRIVATE-TOKEN", token);
        }
        return api.send(request.GET());
    }

    @Test
    void a_guessing_client_gets_ten_answers_then_gitlabs_429_until_the_ban_ends_and_then_its_right_token_works() {
        start(TrustedProxies.NONE);
        for (int guess = 1; guess <= 10; guess++) {
            assertThat(asClient(null, "glpat-guess-" + guess).status()).as("guess " + guess).isEqualTo(401);
        }

        HttpApi.Response banned = asClient(null, "glpat-guess-11");
        assertThat(banned.status()).isEqualTo(429);
        assertThat(new String(banned.body(), StandardCharsets.UTF_8)).isEqualTo("Retry later\n");
        assertThat(banned.headers().firstValue("Content-Type")).hasValue("text/plain");
        Instant until = START.plus(Duration.ofHours(1));
        assertThat(banned.headers().map()).containsEntry("retry-after", List.of("3600"))
                .containsEntry("ratelimit-name", List.of("throttle_authentication_failures"))
                .containsEntry("ratelimit-limit", List.of("10"))
                .containsEntry("ratelimit-observed", List.of("10"))
                .containsEntry("ratelimit-remaining", List.of("0"))
                .containsEntry("ratelimit-reset", List.of(Long.toString(until.getEpochSecond())))
                .containsEntry("ratelimit-resettime", List.of(DateTimeFormatter.RFC_1123_DATE_TIME
                        .withZone(ZoneOffset.UTC).format(until)));
        // Banned means banned: the right token, no token, any route — until the ban ends.
        assertThat(asClient(null, adminToken).status()).isEqualTo(429);
        assertThat(api.send(api.request("/projects").GET()).status()).isEqualTo(429);

        clock.advance(Duration.ofMinutes(30));
        HttpApi.Response halfway = asClient(null, adminToken);
        assertThat(halfway.status()).isEqualTo(429);
        assertThat(halfway.headers().firstValue("Retry-After")).hasValue("1800");

        clock.advance(Duration.ofMinutes(30));
        assertThat(asClient(null, adminToken).status()).isEqualTo(200);
        assertThat(asClient(null, "glpat-guess-12").status()).isEqualTo(401);
    }

    @Test
    void a_stale_token_repeated_is_no_guessing_and_runner_token_guesses_count_too() {
        start(TrustedProxies.NONE);
        for (int i = 0; i < 30; i++) {
            assertThat(asClient(null, "glpat-deleted-long-ago").status()).isEqualTo(401);
        }
        assertThat(asClient(null, adminToken).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(1)); // a new window: the stale token counted once in the last one
        for (int guess = 1; guess <= 10; guess++) {
            HttpApi.Response refused = api.json("POST", "/runners/verify", null, Map.of("token", "glrt-guess-" + guess));
            assertThat(refused.status()).isEqualTo(403);
        }
        assertThat(api.json("POST", "/runners/verify", null, Map.of("token", "glrt-guess-11")).status())
                .isEqualTo(429);
        assertThat(asClient(null, adminToken).status()).isEqualTo(429);
    }

    @Test
    void behind_a_trusted_proxy_clients_are_told_apart_by_x_forwarded_for() {
        start(TrustedProxies.of(List.of("127.0.0.1")));
        for (int guess = 1; guess <= 10; guess++) {
            asClient("198.51.100.7", "glpat-guess-" + guess);
        }

        assertThat(asClient("198.51.100.7", adminToken).status()).isEqualTo(429);
        // The header as a trusted proxy appends it: what the client wrote is on the left and not believed.
        assertThat(asClient("203.0.113.5, 198.51.100.7", adminToken).status()).isEqualTo(429);
        assertThat(asClient("198.51.100.8", adminToken).status()).isEqualTo(200);
        assertThat(asClient(null, adminToken).status()).as("the proxy's own requests").isEqualTo(200);
    }

    @Test
    void without_a_trusted_proxy_x_forwarded_for_changes_nothing() {
        start(TrustedProxies.NONE);
        for (int guess = 1; guess <= 10; guess++) {
            asClient("198.51.100." + guess, "glpat-guess-" + guess);
        }

        assertThat(asClient("198.51.100.99", adminToken).status()).isEqualTo(429);
    }
}
