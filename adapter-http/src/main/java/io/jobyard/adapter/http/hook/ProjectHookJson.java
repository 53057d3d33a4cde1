package io.jobyard.adapter.http.hook;

import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitLab's {@code Entities::ProjectHook} ({@code Entities::Hook} then the project hook's own keys), in its order. The
 * secret {@code token} is never in it. Jobyard has no URL variables, custom headers or custom templates: {@code []},
 * {@code []} and null, as a hook without them shows in GitLab.
 */
final class ProjectHookJson {
    private static final List<HookTrigger> HOOK_KEYS = List.of(HookTrigger.PUSH_EVENTS, HookTrigger.TAG_PUSH_EVENTS,
            HookTrigger.MERGE_REQUESTS_EVENTS, HookTrigger.REPOSITORY_UPDATE_EVENTS);
    private static final List<HookTrigger> PROJECT_HOOK_KEYS = List.of(HookTrigger.ISSUES_EVENTS,
            HookTrigger.CONFIDENTIAL_ISSUES_EVENTS, HookTrigger.NOTE_EVENTS, HookTrigger.CONFIDENTIAL_NOTE_EVENTS,
            HookTrigger.PIPELINE_EVENTS, HookTrigger.WIKI_PAGE_EVENTS, HookTrigger.DEPLOYMENT_EVENTS,
            HookTrigger.FEATURE_FLAG_EVENTS, HookTrigger.JOB_EVENTS, HookTrigger.RELEASES_EVENTS,
            HookTrigger.MILESTONE_EVENTS, HookTrigger.EMOJI_EVENTS, HookTrigger.RESOURCE_ACCESS_TOKEN_EVENTS,
            HookTrigger.VULNERABILITY_EVENTS);

    private ProjectHookJson() {
    }

    static Map<String, Object> from(ProjectHook hook, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", hook.id().value());
        json.put("url", hook.url());
        json.put("name", hook.name());
        json.put("description", hook.description());
        json.put("created_at", ApiTime.utc(hook.createdAt()));
        HOOK_KEYS.forEach(trigger -> json.put(trigger.attribute(), hook.subscribes(trigger)));
        json.put("enable_ssl_verification", hook.enableSslVerification());
        json.put("alert_status", hook.alertStatus(now).wireName());
        json.put("disabled_until", ApiTime.utc(hook.disabledUntil()));
        json.put("url_variables", List.of());
        json.put("push_events_branch_filter", hook.pushEventsBranchFilter());
        json.put("branch_filter_strategy", hook.branchFilterStrategy());
        json.put("custom_webhook_template", null);
        json.put("custom_headers", List.of());
        json.put("project_id", hook.projectId().value());
        PROJECT_HOOK_KEYS.forEach(trigger -> json.put(trigger.attribute(), hook.subscribes(trigger)));
        return json;
    }
}
