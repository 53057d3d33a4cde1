package io.jobyard.bootstrap.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19's webhooks against a real HTTP receiver on loopback: GitLab's hooks API, job and pipeline hooks with
 * GitLab's headers in order per job, retries with the same idempotency key, auto-disabling and re-enabling on edit,
 * the delivery log, the test route, and the refusal of local addresses while the administrator does not allow them.
 */
class WebhooksEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private HookWorld world;
    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        world = new HookWorld(dir);
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        world.close();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    void localAddressesAreRefusedUntilTheAdministratorAllowsThem() {
        long project = world.project("refused");
        assertThat(world.expect("GET", "/application/settings", null, 200)
                .get("allow_local_requests_from_web_hooks_and_services").asBoolean()).isFalse();

        HookWorld.Reply refused = world.call("POST", "/projects/" + project + "/hooks",
                "url=" + HookWorld.encode(receiver.url()) + "&job_events=true");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("message").asText()).isEqualTo("Invalid url given");
        for (String local : List.of("http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]:80/",
                "http://192.168.0.10/", "ftp://example.com/")) {
            assertThat(world.call("POST", "/projects/" + project + "/hooks", "url=" + HookWorld.encode(local))
                    .status()).as(local).isEqualTo(422);
        }

        world.allowLocalRequests(true);
        long hook = world.hook(project, receiver.url(), "job_events=true");
        // Turned off again: the delivery is checked against the resolved address once more, and refused.
        world.allowLocalRequests(false);
        world.pipeline(project, "build: {script: [make]}");

        await().atMost(WAIT).until(() -> world.expect("GET", "/projects/" + project + "/hooks/" + hook + "/events",
                null, 200).size() > 0);
        JsonNode attempt = world.expect("GET", "/projects/" + project + "/hooks/" + hook + "/events", null, 200)
                .get(0);
        assertThat(attempt.get("response_status").asText()).isEqualTo("internal error");
        assertThat(receiver.received()).as("nothing reached the local receiver").isEmpty();
    }

    @Test
    void theHooksApiSpeaksGitLabsEntityAndNeverShowsTheToken() {
        world.allowLocalRequests(true);
        long project = world.project("crud");
        JsonNode created = world.expect("POST", "/projects/" + project + "/hooks", "url="
                + HookWorld.encode(receiver.url()) + "&token=s3cret&job_events=true&name=ci&enable_ssl_verification"
                + "=false", 201);
        List<String> keys = new ArrayList<>();
        created.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).startsWith("id", "url", "name", "description", "created_at", "push_events",
                "tag_push_events", "merge_requests_events", "repository_update_events", "enable_ssl_verification",
                "alert_status", "disabled_until").contains("project_id", "job_events", "pipeline_events")
                .doesNotContain("token");
        assertThat(created.get("push_events").asBoolean()).as("GitLab's default").isTrue();
        assertThat(created.get("job_events").asBoolean()).isTrue();
        assertThat(created.get("pipeline_events").asBoolean()).isFalse();
        assertThat(created.get("enable_ssl_verification").asBoolean()).isFalse();
        assertThat(created.get("alert_status").asText()).isEqualTo("executable");
        long id = created.get("id").asLong();

        JsonNode changed = world.expect("PUT", "/projects/" + project + "/hooks/" + id, "url="
                + HookWorld.encode(receiver.url()) + "&pipeline_events=true&push_events=false", 200);
        assertThat(changed.get("pipeline_events").asBoolean()).isTrue();
        assertThat(changed.get("job_events").asBoolean()).as("kept").isTrue();
        assertThat(changed.get("push_events").asBoolean()).isFalse();
        assertThat(world.expect("GET", "/projects/" + project + "/hooks", null, 200)).hasSize(1);
        assertThat(world.expect("GET", "/projects/" + project + "/hooks/" + id, null, 200).toString())
                .doesNotContain("s3cret");
        assertThat(world.call("PUT", "/projects/" + project + "/hooks/" + id, "job_events=false").status())
                .as("url is required").isEqualTo(400);
        assertThat(world.call("GET", "/projects/" + project + "/hooks/abc", null).status()).isEqualTo(400);
        assertThat(world.call("GET", "/projects/" + project + "/hooks", null, null).status()).isEqualTo(401);

        assertThat(world.call("DELETE", "/projects/" + project + "/hooks/" + id, null).status()).isEqualTo(204);
        assertThat(world.call("GET", "/projects/" + project + "/hooks/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void jobAndPipelineEventsArriveInOrderWithGitLabsHeaders() {
        world.allowLocalRequests(true);
        long project = world.project("delivered");
        world.hook(project, receiver.url(), "job_events=true&pipeline_events=true&push_events=false&token=s3cret");
        String runner = world.runner();
        world.pipeline(project, "build: {script: [make]}");
        JsonNode job = world.take(runner);
        world.finish(job, "success");

        await().atMost(WAIT).until(() -> statuses(receiver, "Job Hook").contains("success")
                && statuses(receiver, "Pipeline Hook").contains("success"));
        assertThat(statuses(receiver, "Job Hook")).containsExactly("created", "pending", "running", "success");
        assertThat(statuses(receiver, "Pipeline Hook")).containsSubsequence("pending", "running", "success");

        Receiver.Received first = receiver.received().get(0);
        assertThat(first.header("Content-Type")).isEqualTo("application/json");
        assertThat(first.header("User-Agent")).isEqualTo("GitLab/18.0.0");
        assertThat(first.header("X-Gitlab-Token")).isEqualTo("s3cret");
        assertThat(first.header("X-Gitlab-Instance")).isEqualTo("http://jobyard.test");
        assertThat(first.header("X-Gitlab-Event-UUID")).matches("[0-9a-f-]{36}");
        assertThat(first.header("X-Gitlab-Webhook-UUID")).matches("[0-9a-f-]{36}");
        assertThat(first.header("Idempotency-Key")).matches("[0-9a-f-]{36}");
        JsonNode success = receiver.received().stream().map(r -> json(r.body()))
                .filter(b -> "build".equals(b.path("object_kind").asText())
                        && "success".equals(b.path("build_status").asText())).findFirst().orElseThrow();
        assertThat(success.get("build_id").asLong()).isEqualTo(job.get("id").asLong());
        assertThat(success.get("project_id").asLong()).isEqualTo(project);
        assertThat(success.get("build_name").asText()).isEqualTo("build");
    }

    private static List<String> statuses(Receiver receiver, String event) {
        return receiver.received().stream().filter(r -> event.equals(r.header("X-Gitlab-Event")))
                .map(r -> json(r.body()))
                .map(b -> b.has("build_status") ? b.get("build_status").asText()
                        : b.get("object_attributes").get("status").asText())
                .toList();
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameKeyAndLogged() {
        world.allowLocalRequests(true);
        long project = world.project("retried");
        long hook = world.hook(project, receiver.url(), "job_events=true&push_events=false");
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(() -> calls.incrementAndGet() <= 2 ? 500 : 200);
        world.pipeline(project, "build: {script: [make]}");

        await().atMost(WAIT).until(() -> receiver.received().size() >= 3);
        await().atMost(WAIT).until(() -> statuses(receiver, "Job Hook").contains("pending"));
        List<Receiver.Received> firstEvent = receiver.received().stream()
                .filter(r -> "created".equals(json(r.body()).get("build_status").asText())).toList();
        assertThat(firstEvent).hasSize(3);
        assertThat(firstEvent).extracting(r -> r.header("Idempotency-Key")).containsOnly(
                firstEvent.get(0).header("Idempotency-Key"));
        assertThat(firstEvent).extracting(r -> r.header("X-Gitlab-Webhook-UUID")).doesNotHaveDuplicates();
        assertThat(firstEvent).extracting(Receiver.Received::body).containsOnly(firstEvent.get(0).body());
        assertThat(statuses(receiver, "Job Hook").indexOf("pending"))
                .as("the job's next event waits for the first").isGreaterThan(2);

        JsonNode log = world.expect("GET", "/projects/" + project + "/hooks/" + hook + "/events", null, 200);
        assertThat(log.size()).isGreaterThanOrEqualTo(4);
        assertThat(log.get(log.size() - 1).get("response_status").asText()).isEqualTo("500");
        assertThat(log.get(log.size() - 1).get("request_headers").get("X-Gitlab-Event").asText())
                .isEqualTo("Job Hook");
        assertThat(log.get(log.size() - 1).get("request_data").get("object_kind").asText()).isEqualTo("build");
        assertThat(world.expect("GET", "/projects/" + project + "/hooks/" + hook + "/events?status=server_failure",
                null, 200)).hasSize(2);
        // keyset pages (Jobyard's) walk the same log, newest first, with the filter, one attempt a page (the
        // failures: attempts still to come cannot join them)
        List<Long> offsetIds = new ArrayList<>();
        world.expect("GET", "/projects/" + project + "/hooks/" + hook + "/events?status=server_failure", null, 200)
                .forEach(entry -> offsetIds.add(entry.get("id").asLong()));
        List<Long> keysetIds = new ArrayList<>();
        String page = "/projects/" + project + "/hooks/" + hook
                + "/events?status=server_failure&pagination=keyset&per_page=1";
        int pages = 0;
        while (page != null && pages++ < 10) {
            HookWorld.Reply reply = world.call("GET", page, null);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            reply.json().forEach(entry -> keysetIds.add(entry.get("id").asLong()));
            Matcher next = Pattern.compile("<[^>]*/api/v4(/[^>]*)>; rel=\"next\"")
                    .matcher(reply.link() == null ? "" : reply.link());
            page = next.find() ? next.group(1) : null;
        }
        assertThat(keysetIds).hasSize(2).isEqualTo(offsetIds);
        assertThat(world.expect("GET", "/projects/" + project + "/hooks/" + hook, null, 200)
                .get("alert_status").asText()).isEqualTo("executable");
    }

    @Test
    void aHookThatKeepsFailingIsDisabledAndAnEditEnablesIt() {
        world.allowLocalRequests(true);
        long project = world.project("failing");
        long hook = world.hook(project, receiver.url(), "job_events=true&push_events=false");
        receiver.answer(() -> 500);
        world.pipeline(project, "build: {script: [make]}");

        await().atMost(WAIT).until(() -> world.expect("GET", "/projects/" + project + "/hooks/" + hook, null, 200)
                .get("alert_status").asText().equals("temporarily_disabled"));
        JsonNode disabled = world.expect("GET", "/projects/" + project + "/hooks/" + hook, null, 200);
        assertThat(disabled.get("disabled_until").isNull()).isFalse();
        assertThat(receiver.received()).as("three failures of grace, the fourth disables").hasSize(4);

        receiver.answer(() -> 200);
        JsonNode edited = world.expect("PUT", "/projects/" + project + "/hooks/" + hook, "url="
                + HookWorld.encode(receiver.url()), 200);
        assertThat(edited.get("alert_status").asText()).isEqualTo("executable");
        await().atMost(WAIT).until(() -> statuses(receiver, "Job Hook").contains("pending"));
    }

    @Test
    void theTestRouteSendsTheLatestJobAndReportsTheReceiversAnswer() {
        world.allowLocalRequests(true);
        long project = world.project("tested");
        long hook = world.hook(project, receiver.url(), "push_events=false");
        assertThat(world.call("POST", "/projects/" + project + "/hooks/" + hook + "/test/job_events", null).json()
                .get("message").asText()).isEqualTo("Ensure the project has CI jobs.");
        world.pipeline(project, "build: {script: [make]}");

        HookWorld.Reply ok = world.call("POST", "/projects/" + project + "/hooks/" + hook + "/test/job_events", null);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("message").asText()).isEqualTo("201 Created");
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).header("X-Gitlab-Event")).isEqualTo("Job Hook");

        receiver.answer(() -> 404);
        HookWorld.Reply refused = world.call("POST", "/projects/" + project + "/hooks/" + hook
                + "/test/pipeline_events", null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("message").asText()).isEqualTo("answered 404");
        assertThat(world.call("POST", "/projects/" + project + "/hooks/" + hook + "/test/nonsense", null).status())
                .isEqualTo(400);
    }
}
