package io.jobyard.adapter.http.hook;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.KeysetCursor;
import io.jobyard.adapter.http.endpoint.KeysetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.hook.ApplicationSettingsUseCase;
import io.jobyard.application.port.in.hook.HooksUseCase;
import io.jobyard.application.port.out.ApplicationSettingsRepository.ApplicationSettings;
import io.jobyard.application.port.out.HookRepository.HookLog;
import io.jobyard.application.port.out.HookRepository.StatusFilter;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.hook.ProjectHook;

import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The endpoints of GitLab's project hooks API ({@code lib/api/project_hooks.rb}, {@code lib/api/hooks/*.rb}) and of
 * {@code GET}/{@code PUT /application/settings}, each a small {@link Endpoint} over its use case.
 */
public final class HookEndpoints {
    private final HooksUseCase hooks;
    private final ApplicationSettingsUseCase settings;
    private final Clock clock;

    public HookEndpoints(HooksUseCase hooks, ApplicationSettingsUseCase settings, Clock clock) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static ProjectRef project(ApiRequest request) {
        return ProjectRef.parse(request.path("id"));
    }

    /** {@code GET /projects/:id/hooks}: offset pages with totals, or keyset pages by id (Jobyard's). */
    public Endpoint list() {
        return request -> {
            if (KeysetPageReply.requested(request)) {
                KeysetPage<ProjectHook> page = hooks.list(request.actor(), project(request),
                        KeysetPageReply.byId(request));
                String next = page.hasNext()
                        ? KeysetCursor.encodeId(page.items().get(page.items().size() - 1).id().value()) : null;
                return KeysetPageReply.of(page.items().stream()
                        .map(hook -> ProjectHookJson.from(hook, clock.instant())).toList(), next, request);
            }
            OffsetPaging paging = OffsetPaging.read(request.params());
            ListPage<ProjectHook> page = hooks.list(request.actor(), project(request), paging.pagination());
            List<Map<String, Object>> body = page.items().stream()
                    .map(hook -> ProjectHookJson.from(hook, clock.instant())).toList();
            return OffsetPageReply.of(body, page.hasNext(), page.total(), paging, request);
        };
    }

    /** {@code GET /projects/:id/hooks/:hook_id}. */
    public Endpoint get() {
        return request -> Reply.Json.ok(ProjectHookJson.from(hooks.get(request.actor(), project(request),
                HookParams.hookId(request.path("hook_id"))), clock.instant()));
    }

    /** {@code POST /projects/:id/hooks}: 201 with the hook; {@code url} is required. */
    public Endpoint create() {
        return request -> {
            if (request.params().text("url").filter(url -> !url.isEmpty()).isEmpty()) {
                throw Params.missing("url");
            }
            ProjectHook hook = hooks.create(request.actor(), project(request), HookParams.changes(request.params()));
            return Reply.Json.created(ProjectHookJson.from(hook, clock.instant()));
        };
    }

    /** {@code PUT /projects/:id/hooks/:hook_id}: {@code url} is required here too, as in GitLab 18.0. */
    public Endpoint update() {
        return request -> {
            if (request.params().text("url").filter(url -> !url.isEmpty()).isEmpty()) {
                throw Params.missing("url");
            }
            ProjectHook hook = hooks.update(request.actor(), project(request),
                    HookParams.hookId(request.path("hook_id")), HookParams.changes(request.params()));
            return Reply.Json.ok(ProjectHookJson.from(hook, clock.instant()));
        };
    }

    /** {@code DELETE /projects/:id/hooks/:hook_id}: {@code destroy_conditionally!}'s 204. */
    public Endpoint delete() {
        return request -> {
            hooks.delete(request.actor(), project(request), HookParams.hookId(request.path("hook_id")));
            return new Reply.Empty(204);
        };
    }

    /** {@code POST /projects/:id/hooks/:hook_id/test/:trigger}: {@code created!} when the receiver answered 2xx. */
    public Endpoint test() {
        return request -> {
            hooks.test(request.actor(), project(request), HookParams.hookId(request.path("hook_id")),
                    HookParams.trigger(request.path("trigger")));
            return Reply.Json.created(Map.of("message", "201 Created"));
        };
    }

    /**
     * {@code GET /projects/:id/hooks/:hook_id/events} (GitLab 17.x+): the hook's delivery log, newest first, at most
     * 20 a page (GitLab's {@code values: 1..20}), filtered by {@code status} (codes, {@code successful},
     * {@code client_failure}, {@code server_failure}). Keyset pages ({@code pagination=keyset}, Jobyard's) walk the
     * same order with the same {@code per_page} bounds.
     */
    public Endpoint events() {
        return request -> {
            Params params = request.params();
            BigInteger perPage = params.integer("per_page").orElse(BigInteger.valueOf(20));
            if (perPage.compareTo(BigInteger.ONE) < 0 || perPage.compareTo(BigInteger.valueOf(20)) > 0) {
                throw new InvalidParameterException("per_page does not have a valid value");
            }
            if (KeysetPageReply.requested(request)) {
                SortKey after = KeysetPageReply.cursor(request).map(c -> SortKey.ofId(KeysetCursor.decodeId(c)))
                        .orElse(null);
                KeysetPage<HookLog> page = hooks.events(request.actor(), project(request),
                        HookParams.hookId(request.path("hook_id")), statusFilter(params),
                        new Pagination.Keyset(after, perPage.intValueExact()));
                String next = page.hasNext()
                        ? KeysetCursor.encodeId(page.items().get(page.items().size() - 1).id()) : null;
                return KeysetPageReply.of(page.items().stream().map(WebHookLogJson::from).toList(), next, request);
            }
            OffsetPaging read = OffsetPaging.read(params);
            OffsetPaging paging = new OffsetPaging(read.page(), perPage.intValueExact(), read.requestedPage(),
                    perPage);
            ListPage<HookLog> page = hooks.events(request.actor(), project(request),
                    HookParams.hookId(request.path("hook_id")), statusFilter(params),
                    new Pagination.Offset(paging.page(), paging.perPage()));
            List<Map<String, Object>> body = page.items().stream().map(WebHookLogJson::from).toList();
            return OffsetPageReply.of(body, page.hasNext(), page.total(), paging, request);
        };
    }

    static StatusFilter statusFilter(Params params) {
        List<String> values = new ArrayList<>();
        ParamValue value = params.get("status").orElse(null);
        if (value instanceof ParamValue.Text text) {
            values.addAll(List.of(text.value().split(",")));
        } else if (value instanceof ParamValue.Repeated repeated) {
            repeated.values().forEach(v -> values.addAll(List.of(v.split(","))));
        } else if (value != null && !(value instanceof ParamValue.Blank)) {
            throw Params.invalid("status");
        }
        Set<Integer> codes = new HashSet<>();
        Set<StatusFilter.Range> ranges = new HashSet<>();
        for (String raw : values) {
            String status = raw.trim();
            switch (status) {
                case "" -> { }
                case "successful" -> ranges.add(new StatusFilter.Range(200, 299));
                case "client_failure" -> ranges.add(new StatusFilter.Range(400, 499));
                case "server_failure" -> ranges.add(new StatusFilter.Range(500, 599));
                default -> {
                    if (!status.matches("[1-5][0-9]{2}")) {
                        throw new InvalidParameterException("status does not have a valid value");
                    }
                    codes.add(Integer.parseInt(status));
                }
            }
        }
        return new StatusFilter(codes, ranges);
    }

    /** {@code GET /application/settings}: the settings Jobyard has. */
    public Endpoint getSettings() {
        return request -> Reply.Json.ok(settingsJson(settings.get(request.actor())));
    }

    /** {@code PUT /application/settings}. */
    public Endpoint putSettings() {
        return request -> Reply.Json.ok(settingsJson(settings.update(request.actor(),
                request.params().bool("allow_local_requests_from_web_hooks_and_services"))));
    }

    private static Map<String, Object> settingsJson(ApplicationSettings value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", 1);
        json.put("allow_local_requests_from_web_hooks_and_services",
                value.allowLocalRequestsFromWebHooksAndServices());
        return json;
    }
}
