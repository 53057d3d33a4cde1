package io.jobyard.domain.hook;

import java.util.Optional;

/**
 * The events a project hook can subscribe to, as GitLab's project hooks API accepts them ({@code push_events},
 * {@code job_events}...), with the name of the trigger that {@code POST /projects/:id/hooks/:hook_id/test/:trigger}
 * takes for each ({@code ProjectHook.triggers}). Jobyard stores every subscription a client sets, and sends the two it
 * has events for: jobs and pipelines.
 */
public enum HookTrigger {
    PUSH_EVENTS("push_events", "push_events", true),
    TAG_PUSH_EVENTS("tag_push_events", "tag_push_events", false),
    MERGE_REQUESTS_EVENTS("merge_requests_events", "merge_requests_events", false),
    REPOSITORY_UPDATE_EVENTS("repository_update_events", null, false),
    ISSUES_EVENTS("issues_events", "issues_events", false),
    CONFIDENTIAL_ISSUES_EVENTS("confidential_issues_events", "confidential_issues_events", false),
    NOTE_EVENTS("note_events", "note_events", false),
    CONFIDENTIAL_NOTE_EVENTS("confidential_note_events", "confidential_note_events", false),
    PIPELINE_EVENTS("pipeline_events", "pipeline_events", false),
    WIKI_PAGE_EVENTS("wiki_page_events", "wiki_page_events", false),
    DEPLOYMENT_EVENTS("deployment_events", "deployment_events", false),
    FEATURE_FLAG_EVENTS("feature_flag_events", "feature_flag_events", false),
    JOB_EVENTS("job_events", "job_events", false),
    RELEASES_EVENTS("releases_events", "releases_events", false),
    MILESTONE_EVENTS("milestone_events", "milestone_events", false),
    EMOJI_EVENTS("emoji_events", "emoji_events", false),
    RESOURCE_ACCESS_TOKEN_EVENTS("resource_access_token_events", "resource_access_token_events", false),
    VULNERABILITY_EVENTS("vulnerability_events", "vulnerability_events", false);

    private final String attribute;
    private final String testTrigger;
    private final boolean defaultOn;

    HookTrigger(String attribute, String testTrigger, boolean defaultOn) {
        this.attribute = attribute;
        this.testTrigger = testTrigger;
        this.defaultOn = defaultOn;
    }

    /** The attribute name in the API ({@code job_events}). */
    public String attribute() {
        return attribute;
    }

    /** The {@code :trigger} of the test endpoint, or null where GitLab has none. */
    public String testTrigger() {
        return testTrigger;
    }

    /** GitLab's column default: only push events are on for a hook created without naming any. */
    public boolean defaultOn() {
        return defaultOn;
    }

    public static Optional<HookTrigger> fromTestTrigger(String name) {
        for (HookTrigger trigger : values()) {
            if (name.equals(trigger.testTrigger)) {
                return Optional.of(trigger);
            }
        }
        return Optional.empty();
    }
}
