package io.jobyard.domain.hook;

import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.text.TextLimit;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A project webhook (GitLab's {@code ProjectHook}) with GitLab's auto-disabling ({@code WebHooks::AutoDisabling}): a
 * hook whose deliveries keep failing is disabled for a while after the third failure in a row, for twice as long after
 * each further one (one minute up to a day), and for good after the fortieth; one success, or an edit of the hook,
 * enables it again.
 *
 * @param token          the secret sent as {@code X-Gitlab-Token}; never shown by the API
 * @param triggers       the events it subscribes to
 * @param recentFailures failed deliveries since the last success, capped at {@link #PERMANENTLY_DISABLED_FAILURE_THRESHOLD}
 *                       + 1
 * @param disabledUntil  end of the current temporary disabling, or null
 */
public record ProjectHook(HookId id, ProjectId projectId, String url, String token, String name, String description,
                          Set<HookTrigger> triggers, boolean enableSslVerification, String pushEventsBranchFilter,
                          String branchFilterStrategy, int recentFailures, Instant disabledUntil, Instant createdAt) {

    /** GitLab's {@code TEMPORARILY_DISABLED_FAILURE_THRESHOLD}: failures tolerated before backing off. */
    public static final int TEMPORARILY_DISABLED_FAILURE_THRESHOLD = 3;
    /** GitLab's {@code PERMANENTLY_DISABLED_FAILURE_THRESHOLD}: past this many failures the hook stays off. */
    public static final int PERMANENTLY_DISABLED_FAILURE_THRESHOLD = 39;
    static final Duration INITIAL_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofDays(1);

    /** GitLab's {@code alert_status}. */
    public enum AlertStatus {
        EXECUTABLE("executable"), TEMPORARILY_DISABLED("temporarily_disabled"), DISABLED("disabled");

        private final String wireName;

        AlertStatus(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public ProjectHook {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(branchFilterStrategy, "branchFilterStrategy");
        TextLimit.HOOK_URL.require(url);
        TextLimit.HOOK_TOKEN.require(token);
        TextLimit.HOOK_NAME.require(name);
        TextLimit.HOOK_DESCRIPTION.require(description);
        TextLimit.HOOK_BRANCH_FILTER.require(pushEventsBranchFilter);
        triggers = triggers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(triggers));
        if (recentFailures < 0) {
            throw new IllegalArgumentException("failures must not be negative");
        }
    }

    public boolean subscribes(HookTrigger trigger) {
        return triggers.contains(trigger);
    }

    public boolean permanentlyDisabled() {
        return recentFailures > PERMANENTLY_DISABLED_FAILURE_THRESHOLD;
    }

    public boolean temporarilyDisabled(Instant now) {
        return disabledUntil != null && !disabledUntil.isBefore(now)
                && recentFailures > TEMPORARILY_DISABLED_FAILURE_THRESHOLD
                && recentFailures <= PERMANENTLY_DISABLED_FAILURE_THRESHOLD;
    }

    /** Whether deliveries may be attempted now (GitLab's {@code executable?}). */
    public boolean executable(Instant now) {
        return !temporarilyDisabled(now) && !permanentlyDisabled();
    }

    public AlertStatus alertStatus(Instant now) {
        if (temporarilyDisabled(now)) {
            return AlertStatus.TEMPORARILY_DISABLED;
        }
        return permanentlyDisabled() ? AlertStatus.DISABLED : AlertStatus.EXECUTABLE;
    }

    /**
     * After a failed delivery (GitLab's {@code backoff!}): one more failure, and past the grace of three a disabling of
     * one minute doubling per further failure, at most a day. A hook that is not executable is left as it is.
     */
    public ProjectHook afterFailure(Instant now) {
        if (!executable(now)) {
            return this;
        }
        int failures = Math.min(recentFailures + 1, PERMANENTLY_DISABLED_FAILURE_THRESHOLD + 1);
        Instant until = disabledUntil;
        if (failures > TEMPORARILY_DISABLED_FAILURE_THRESHOLD) {
            until = now.plus(backoff(recentFailures - TEMPORARILY_DISABLED_FAILURE_THRESHOLD));
        }
        return withFailures(failures, until);
    }

    private static Duration backoff(int count) {
        if (count >= 20) {
            return MAX_BACKOFF;
        }
        Duration backoff = INITIAL_BACKOFF.multipliedBy(1L << Math.max(0, count));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    /** After a successful delivery, or an edit of the hook (GitLab's {@code enable!}): no failures, not disabled. */
    public ProjectHook enabled() {
        return recentFailures == 0 && disabledUntil == null ? this : withFailures(0, null);
    }

    private ProjectHook withFailures(int failures, Instant until) {
        return new ProjectHook(id, projectId, url, token, name, description, triggers, enableSslVerification,
                pushEventsBranchFilter, branchFilterStrategy, failures, until, createdAt);
    }

    public ProjectHook withId(HookId newId) {
        return new ProjectHook(newId, projectId, url, token, name, description, triggers, enableSslVerification,
                pushEventsBranchFilter, branchFilterStrategy, recentFailures, disabledUntil, createdAt);
    }

    @Override
    public String toString() {
        // The token is a secret: it stays out of logs.
        return "ProjectHook[id=" + id + ", projectId=" + projectId + ", url=" + url + ", triggers=" + triggers
                + ", recentFailures=" + recentFailures + ", disabledUntil=" + disabledUntil + "]";
    }
}
