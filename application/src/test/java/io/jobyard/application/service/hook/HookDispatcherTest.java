package io.jobyard.application.service.hook;

import io.jobyard.application.memory.InMemoryApplicationSettingsRepository;
import io.jobyard.application.memory.InMemoryHookRepository;
import io.jobyard.application.memory.InMemoryTransactor;
import io.jobyard.application.port.out.ApplicationSettingsRepository.ApplicationSettings;
import io.jobyard.application.port.out.HookRepository.HookLog;
import io.jobyard.application.port.out.HookRepository.StatusFilter;
import io.jobyard.application.port.out.WebhookSender;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request forgery rules at delivery, against the resolved address, and what an attempt records. */
class HookDispatcherTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private final InMemoryHookRepository hooks = new InMemoryHookRepository(new InMemoryTransactor());
    private final InMemoryApplicationSettingsRepository settings = new InMemoryApplicationSettingsRepository();
    private final AtomicReference<String> answer = new AtomicReference<>("93.184.216.34");
    private final List<WebhookSender.Request> sent = new CopyOnWriteArrayList<>();
    private final HookDispatcher dispatcher = new HookDispatcher(hooks, settings,
            new UrlGuard(host -> List.of(InetAddress.getByName(answer.get()))), request -> {
                sent.add(request);
                return new WebhookSender.Response(200, Map.of("Content-Type", "text/plain"), "ok", null,
                        Duration.ofMillis(5));
            }, "https://ci.example.com", Duration.ofSeconds(10), Clock.fixed(NOW, ZoneOffset.UTC));

    private ProjectHook hook(String url) {
        return hooks.insert(new ProjectHook(hooks.nextId(), ProjectId.of(1), url, "s3cret", null, null,
                Set.of(HookTrigger.JOB_EVENTS), true, null, "wildcard", 2, null, NOW));
    }

    @Test
    void aNameThatRebindsToALocalAddressIsRefusedAtDeliveryAndNothingIsSent() {
        ProjectHook hook = hook("http://rebind.example/hook");
        answer.set("127.0.0.1");

        HookDispatcher.Attempt attempt = dispatcher.send(hook, "Job Hook", "job_hooks", "uuid", "key", "{}");

        assertThat(sent).isEmpty();
        assertThat(attempt.delivered()).isFalse();
        assertThat(attempt.response().error()).isEqualTo(
                "URL 'http://rebind.example/hook' is blocked: Requests to localhost are not allowed");
        HookLog logged = hooks.logs(hook.id(), StatusFilter.ALL, 0, 10).get(0);
        assertThat(logged.responseStatus()).isEqualTo("internal error");
        assertThat(hooks.findById(hook.id()).orElseThrow().recentFailures()).isEqualTo(3);
    }

    @Test
    void theSenderGetsTheVettedAddressAndGitLabsHeadersAndTheLogNeverTheToken() throws Exception {
        ProjectHook hook = hook("https://hooks.example/endpoint?x=1");

        HookDispatcher.Attempt attempt = dispatcher.send(hook, "Pipeline Hook", "pipeline_hooks", "event-uuid",
                "idem-key", "{\"object_kind\":\"pipeline\"}");

        assertThat(attempt.delivered()).isTrue();
        WebhookSender.Request request = sent.get(0);
        assertThat(request.addresses()).containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThat(request.url()).isEqualTo(URI.create("https://hooks.example/endpoint?x=1"));
        assertThat(request.headers()).containsEntry("X-Gitlab-Event", "Pipeline Hook")
                .containsEntry("X-Gitlab-Token", "s3cret").containsEntry("Idempotency-Key", "idem-key")
                .containsEntry("X-Gitlab-Event-UUID", "event-uuid").containsEntry("User-Agent", "GitLab/18.0.0")
                .containsEntry("X-Gitlab-Instance", "https://ci.example.com").containsKey("X-Gitlab-Webhook-UUID");
        HookLog logged = hooks.logs(hook.id(), StatusFilter.ALL, 0, 10).get(0);
        assertThat(logged.requestHeaders()).containsEntry("X-Gitlab-Token", "[REDACTED]");
        assertThat(logged.responseStatus()).isEqualTo("200");
        assertThat(hooks.findById(hook.id()).orElseThrow().recentFailures()).as("enabled again").isZero();
    }

    @Test
    void aSuccessAfterFailuresReleasesTheDeliveriesThatWaited() {
        ProjectHook hook = hook("https://hooks.example/");
        repositoryHasAWaitingDelivery(hook);

        dispatcher.send(hook, "Job Hook", "job_hooks", "u", "k", "{}");

        assertThat(hooks.claimDue(NOW, 10, "w", Duration.ofSeconds(30))).hasSize(1);
    }

    private void repositoryHasAWaitingDelivery(ProjectHook hook) {
        hooks.enqueue(List.of(new io.jobyard.domain.event.StatusEvent(1, ProjectId.of(1), 1,
                io.jobyard.domain.event.EventKind.JOB, io.jobyard.domain.job.JobId.of(5),
                io.jobyard.domain.pipeline.PipelineId.of(2), io.jobyard.domain.job.JobStatus.CREATED, null, "uuid",
                NOW)), NOW);
        long id = hooks.claimDue(NOW, 10, "w", Duration.ofSeconds(30)).get(0).id();
        hooks.reschedule(id, "w", NOW.plusSeconds(3600), 3, "{}");
        assertThat(hooks.claimDue(NOW, 10, "w", Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void theAdministratorsSettingLetsLocalAddressesThrough() {
        settings.put(new ApplicationSettings(true));
        answer.set("10.0.0.7");
        assertThat(dispatcher.send(hook("http://internal.example/"), "Job Hook", "job_hooks", "u", "k", "{}")
                .delivered()).isTrue();
    }

    @Test
    void theRulesCoverEveryLocalRange() throws UnknownHostException {
        UrlGuard guard = new UrlGuard(host -> List.of(InetAddress.getByName(host)));
        for (String local : List.of("127.0.0.1", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "64:ff9b::a00:1")) {
            String host = local.contains(":") ? "[" + local + "]" : local;
            assertThatThrownBy(() -> guard.vet(URI.create("http://" + host + "/"), false)).as(local)
                    .isInstanceOf(UrlGuard.BlockedUrlException.class);
        }
        assertThat(guard.vet(URI.create("http://[2606:4700::1111]/"), false)).hasSize(1);
        assertThat(guard.vet(URI.create("http://8.8.8.8/"), false)).hasSize(1);
        assertThatThrownBy(() -> UrlGuard.parse("file:///etc/passwd")).isInstanceOf(UrlGuard.BlockedUrlException.class);
        assertThatThrownBy(() -> UrlGuard.parse("http:///nohost")).isInstanceOf(UrlGuard.BlockedUrlException.class);
    }
}
