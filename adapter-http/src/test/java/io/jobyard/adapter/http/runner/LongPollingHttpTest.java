package io.jobyard.adapter.http.runner;

import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.domain.access.Actor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workhorse-style long polling of {@code POST /jobs/request}: only a request whose {@code last_update} matches its
 * queue is held, and it is answered by a queued job, by the end of the polling duration, or by the server stopping.
 * The tests wait for states ("one request is held"), never for amounts of time.
 */
class LongPollingHttpTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private final HttpClient http = HttpClient.newHttpClient();
    private RunnerWorld world;
    private LongPolling longPolling;

    @AfterEach
    void stop() {
        if (longPolling != null) {
            longPolling.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aRequestWithTheCurrentQueueValueIsHeldUntilAJobIsQueuedAndThenGetsIt() throws Exception {
        start(LONG, LONG);
        String runner = runnerToken();
        String lastUpdate = lastUpdateOf(request(runner, null).join());

        CompletableFuture<HttpResponse<String>> held = request(runner, lastUpdate);
        awaitHeld(1);
        assertThat(held).isNotDone();

        long buildId = world.buildAndTest().id().value();
        longPolling.jobsQueued();

        HttpResponse<String> answer = held.get(1, TimeUnit.MINUTES);
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.body()).contains("\"id\":" + buildId);
        assertThat(longPolling.heldRequests()).isZero();
    }

    @Test
    void aJobQueuedElsewhereIsFoundByTheRecheck() throws Exception {
        start(LONG, Duration.ofMillis(50));
        String runner = runnerToken();
        String lastUpdate = lastUpdateOf(request(runner, null).join());

        CompletableFuture<HttpResponse<String>> held = request(runner, lastUpdate);
        awaitHeld(1);
        world.buildAndTest(); // as another instance would: nobody calls jobsQueued() here

        assertThat(held.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(201);
    }

    @Test
    void aStaleOrMissingLastUpdateIsAnsweredAtOnce() throws Exception {
        start(LONG, LONG);
        String runner = runnerToken();

        HttpResponse<String> stale = request(runner, "0123456789abcdef").get(1, TimeUnit.MINUTES);
        HttpResponse<String> first = request(runner, null).get(1, TimeUnit.MINUTES);

        assertThat(stale.statusCode()).isEqualTo(204);
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(longPolling.heldRequests()).isZero();
    }

    @Test
    void whenTheDurationEndsTheHeldRequestGets204WithTheSameValue() throws Exception {
        start(Duration.ofMillis(200), Duration.ofMillis(50));
        String runner = runnerToken();
        String lastUpdate = lastUpdateOf(request(runner, null).join());

        HttpResponse<String> answer = request(runner, lastUpdate).get(1, TimeUnit.MINUTES);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(lastUpdateOf(answer)).isEqualTo(lastUpdate);
    }

    @Test
    void stoppingAnswersHeldRequestsAtOnceAndLaterOnesAreNotHeld() throws Exception {
        start(LONG, LONG);
        String runner = runnerToken();
        String lastUpdate = lastUpdateOf(request(runner, null).join());
        CompletableFuture<HttpResponse<String>> held = request(runner, lastUpdate);
        awaitHeld(1);

        longPolling.close();

        assertThat(held.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(204);
        assertThat(request(runner, lastUpdate).get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(204);
    }

    @Test
    void aRunnerDeletedWhileHeldGetsGitLabs403() throws Exception {
        start(LONG, Duration.ofMillis(50));
        String runner = runnerToken();
        String lastUpdate = lastUpdateOf(request(runner, null).join());
        CompletableFuture<HttpResponse<String>> held = request(runner, lastUpdate);
        awaitHeld(1);

        world.runners.delete(runner);

        HttpResponse<String> answer = held.get(1, TimeUnit.MINUTES);
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"message\":\"403 Forbidden\"}");
    }

    private void start(Duration duration, Duration recheck) {
        longPolling = new LongPolling(duration, recheck);
        world = new RunnerWorld(longPolling);
    }

    private String runnerToken() {
        return world.runners.create(Actor.UserActor.withFullAccess(world.admin),
                NewRunner.instance("poller", List.of())).token();
    }

    private CompletableFuture<HttpResponse<String>> request(String runnerToken, String lastUpdate) {
        String body = "{\"token\":\"" + runnerToken + "\"" + (lastUpdate == null ? "" : ",\"last_update\":\""
                + lastUpdate + "\"") + "}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(world.api("/jobs/request")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String lastUpdateOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(204);
        return response.headers().firstValue("X-GitLab-Last-Update").orElseThrow();
    }

    private void awaitHeld(int count) {
        await("requests held").atMost(Duration.ofMinutes(1)).until(longPolling::heldRequests, held -> held == count);
    }
}
