package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerType;

import java.time.Duration;
import java.time.Instant;

/**
 * GitLab's {@code Entities::Ci::Runner} as embedded in a job. {@code ip_address} is always null in current GitLab;
 * {@code created_by} is conditional there and left out; Jobyard keeps no runner name, so {@code name} is null.
 * {@code job_execution_status} is "active" while the embedding job executes on the runner; otherwise Jobyard does not
 * know without another query, and says null rather than guess "idle".
 */
@JsonPropertyOrder({"id", "description", "ip_address", "active", "paused", "is_shared", "runner_type", "name",
        "online", "created_at", "status", "job_execution_status"})
public record RunnerJson(
        @JsonProperty("id") long id,
        @JsonProperty("description") String description,
        @JsonProperty("ip_address") String ipAddress,
        @JsonProperty("active") boolean active,
        @JsonProperty("paused") boolean paused,
        @JsonProperty("is_shared") boolean isShared,
        @JsonProperty("runner_type") String runnerType,
        @JsonProperty("name") String name,
        @JsonProperty("online") boolean online,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("status") String status,
        @JsonProperty("job_execution_status") String jobExecutionStatus) {

    /** GitLab's {@code STALE_TIMEOUT}. */
    private static final Duration STALE_AFTER = Duration.ofDays(7);

    public static RunnerJson from(Runner runner, boolean executingEmbeddingJob, Instant now) {
        if (runner == null) {
            return null;
        }
        return new RunnerJson(runner.id().value(), runner.description(), null, runner.active(), !runner.active(),
                runner.type() == RunnerType.INSTANCE_TYPE, runner.type().wireName(), null, runner.online(now),
                ApiTime.utc(runner.createdAt()), status(runner, now), executingEmbeddingJob ? "active" : null);
    }

    /** GitLab's {@code Ci::Runner#status}: stale, never_contacted, online or offline. */
    static String status(Runner runner, Instant now) {
        Instant staleBefore = now.minus(STALE_AFTER);
        boolean stale = !runner.createdAt().isAfter(staleBefore)
                && (runner.contactedAt() == null || !runner.contactedAt().isAfter(staleBefore));
        if (stale) {
            return "stale";
        }
        if (runner.contactedAt() == null) {
            return "never_contacted";
        }
        return runner.online(now) ? "online" : "offline";
    }
}
