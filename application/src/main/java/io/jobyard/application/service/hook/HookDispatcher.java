package io.jobyard.application.service.hook;

import io.jobyard.application.port.in.GitLabApiLevel;
import io.jobyard.application.port.out.ApplicationSettingsRepository;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.HookRepository.HookLog;
import io.jobyard.application.port.out.WebhookSender;
import io.jobyard.domain.hook.ProjectHook;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One attempt to deliver a body to a hook, as GitLab's {@code WebHookService#execute} makes it: the URL is checked
 * against the request forgery rules again (the setting may have changed, the name may resolve elsewhere now), GitLab's
 * headers are sent, the attempt is logged, and the hook's failure state moves: a 2xx or 3xx enables it, anything else
 * counts towards disabling it ({@link ProjectHook#afterFailure}).
 */
public final class HookDispatcher {
    private final HookRepository hooks;
    private final ApplicationSettingsRepository settings;
    private final UrlGuard guard;
    private final WebhookSender sender;
    private final String instanceUrl;
    private final Duration timeout;
    private final Clock clock;

    /** What one attempt came to. */
    public record Attempt(WebhookSender.Response response, ProjectHook hook) {
        public boolean delivered() {
            return response.delivered();
        }
    }

    /**
     * @param instanceUrl GitLab's {@code X-Gitlab-Instance}: the instance's external URL
     * @param timeout     how long one attempt may take (GitLab's {@code webhook_timeout}, 10 s by default)
     */
    public HookDispatcher(HookRepository hooks, ApplicationSettingsRepository settings, UrlGuard guard,
                          WebhookSender sender, String instanceUrl, Duration timeout, Clock clock) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.instanceUrl = Objects.requireNonNull(instanceUrl, "instanceUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * @param eventHeader    {@code X-Gitlab-Event}
     * @param trigger        the log's trigger ({@code job_hooks})
     * @param eventUuid      {@code X-Gitlab-Event-UUID}: the same for every hook an event goes to
     * @param idempotencyKey the same for every attempt of one delivery
     */
    public Attempt send(ProjectHook hook, String eventHeader, String trigger, String eventUuid, String idempotencyKey,
                        String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "GitLab/" + GitLabApiLevel.VERSION);
        headers.put("Idempotency-Key", idempotencyKey);
        headers.put("X-Gitlab-Event", eventHeader);
        headers.put("X-Gitlab-Webhook-UUID", UUID.randomUUID().toString());
        headers.put("X-Gitlab-Instance", instanceUrl);
        if (hook.token() != null && !hook.token().isEmpty()) {
            headers.put("X-Gitlab-Token", hook.token().replaceAll("[\\r\\n]", ""));
        }
        headers.put("X-Gitlab-Event-UUID", eventUuid);

        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        WebhookSender.Response response;
        try {
            URI url = UrlGuard.parse(hook.url());
            boolean allowLocal = settings.get().allowLocalRequestsFromWebHooksAndServices();
            List<InetAddress> addresses = guard.vet(url, allowLocal);
            response = sender.send(new WebhookSender.Request(url, addresses, headers, body,
                    hook.enableSslVerification(), timeout));
        } catch (UrlGuard.BlockedUrlException blocked) {
            response = WebhookSender.Response.failed("URL '" + hook.url() + "' is blocked: " + blocked.getMessage(),
                    Duration.ofNanos(System.nanoTime() - startNanos));
        }

        Map<String, String> logged = new LinkedHashMap<>(headers);
        if (logged.containsKey("X-Gitlab-Token")) {
            // The secret never leaves the server again, not even through the log of what was sent.
            logged.put("X-Gitlab-Token", "[REDACTED]");
        }
        hooks.log(new HookLog(0, hook.id(), trigger, hook.url(), logged, body, response.headers(),
                response.body() == null ? "" : response.body(),
                response.status() == null ? "internal error" : Integer.toString(response.status()),
                response.status(), response.duration().toNanos() / 1e9, response.error(), started));

        Instant now = clock.instant();
        ProjectHook next = response.delivered() ? hook.enabled() : hook.afterFailure(now);
        if (next != hook) {
            hooks.updateFailureState(hook.id(), next.recentFailures(), next.disabledUntil());
            if (response.delivered()) {
                // The receiver is back: what waited out its failures (retry delays, a disabling) goes out now.
                hooks.releaseWaiting(hook.id(), now);
            }
        }
        return new Attempt(response, next);
    }
}
