package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.HookRepository;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Hooks in {@code project_hooks}, their queue in {@code hook_deliveries} and their log in {@code web_hook_logs}.
 *
 * <p>Claiming is a conditional update of each candidate's lease ({@code WHERE} the lease is free), which is correct on
 * both databases: of two claimers only one changes the row. On PostgreSQL the candidates are also read
 * {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers pass each other's candidates by instead of queueing on them.
 */
public final class JdbiHookRepository implements HookRepository {
    private static final String HOOK_COLUMNS = "id, project_id, url, token, name, description, triggers, "
            + "enable_ssl_verification, push_events_branch_filter, branch_filter_strategy, recent_failures, "
            + "disabled_until, created_at";
    private static final String DELIVERY_COLUMNS = "d.id, d.hook_id, d.lane, d.event_id, d.project_id, d.seq, "
            + "d.kind, d.job_id, d.pipeline_id, d.status, d.previous_status, d.event_uuid, d.recorded_at, "
            + "d.idempotency_key, d.attempts, d.request_body, d.created_at";

    private final Database database;

    JdbiHookRepository(Database database) {
        this.database = database;
    }

    @Override
    public HookId nextId() {
        return HookId.of(database.nextValue("project_hook_id_seq"));
    }

    @Override
    public ProjectHook insert(ProjectHook hook) {
        database.withHandle(handle -> handle.createUpdate("INSERT INTO project_hooks (" + HOOK_COLUMNS
                        + ", job_events, pipeline_events) VALUES (:id, :project_id, :url, :token, :name, "
                        + ":description, :triggers, :ssl, :branch_filter, :strategy, :failures, :disabled_until, "
                        + ":created_at, :job_events, :pipeline_events)")
                .bind("id", hook.id().value()).bind("project_id", hook.projectId().value())
                .bind("created_at", Values.instant(hook.createdAt()))
                .bindMap(hookValues(hook)).bind("disabled_until", Values.instant(hook.disabledUntil())).execute());
        return stored(hook);
    }

    private static Map<String, Object> hookValues(ProjectHook hook) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("url", hook.url());
        values.put("token", hook.token());
        values.put("name", hook.name());
        values.put("description", hook.description());
        values.put("triggers", hook.triggers().stream().sorted().map(HookTrigger::attribute)
                .collect(Collectors.joining(",")));
        values.put("ssl", hook.enableSslVerification());
        values.put("branch_filter", hook.pushEventsBranchFilter());
        values.put("strategy", hook.branchFilterStrategy());
        values.put("failures", hook.recentFailures());
        values.put("job_events", hook.subscribes(HookTrigger.JOB_EVENTS));
        values.put("pipeline_events", hook.subscribes(HookTrigger.PIPELINE_EVENTS));
        return values;
    }

    private static ProjectHook stored(ProjectHook hook) {
        return new ProjectHook(hook.id(), hook.projectId(), hook.url(), hook.token(), hook.name(), hook.description(),
                hook.triggers(), hook.enableSslVerification(), hook.pushEventsBranchFilter(),
                hook.branchFilterStrategy(), hook.recentFailures(), Values.stored(hook.disabledUntil()),
                Values.stored(hook.createdAt()));
    }

    @Override
    public ProjectHook update(ProjectHook hook) {
        int rows = database.withHandle(handle -> handle.createUpdate("UPDATE project_hooks SET url = :url, "
                        + "token = :token, name = :name, description = :description, triggers = :triggers, "
                        + "enable_ssl_verification = :ssl, push_events_branch_filter = :branch_filter, "
                        + "branch_filter_strategy = :strategy, recent_failures = :failures, "
                        + "disabled_until = :disabled_until, job_events = :job_events, "
                        + "pipeline_events = :pipeline_events WHERE id = :id")
                .bind("id", hook.id().value()).bindMap(hookValues(hook))
                .bind("disabled_until", Values.instant(hook.disabledUntil())).execute());
        if (rows == 0) {
            throw NotFoundException.record("Hook");
        }
        return stored(hook);
    }

    @Override
    public void updateFailureState(HookId id, int recentFailures, Instant disabledUntil) {
        database.withHandle(handle -> handle.createUpdate("UPDATE project_hooks SET recent_failures = :failures, "
                        + "disabled_until = :until WHERE id = :id")
                .bind("failures", recentFailures).bind("until", Values.instant(disabledUntil))
                .bind("id", id.value()).execute());
    }

    @Override
    public boolean delete(HookId id) {
        return database.inTransaction(handle -> {
            handle.createUpdate("DELETE FROM web_hook_logs WHERE hook_id = :id").bind("id", id.value()).execute();
            handle.createUpdate("DELETE FROM hook_deliveries WHERE hook_id = :id").bind("id", id.value()).execute();
            return handle.createUpdate("DELETE FROM project_hooks WHERE id = :id").bind("id", id.value())
                    .execute() > 0;
        });
    }

    @Override
    public Optional<ProjectHook> findById(HookId id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + HOOK_COLUMNS
                        + " FROM project_hooks WHERE id = :id").bind("id", id.value())
                .map((rs, ctx) -> hook(rs)).findOne());
    }

    @Override
    public List<ProjectHook> listForProject(ProjectId project, long offset, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + HOOK_COLUMNS
                        + " FROM project_hooks WHERE project_id = :p ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("p", project.value()).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> hook(rs)).list());
    }

    @Override
    public List<ProjectHook> listForProjectAfter(ProjectId project, HookId after, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + HOOK_COLUMNS
                        + " FROM project_hooks WHERE project_id = :p AND id > :after ORDER BY id LIMIT :limit")
                .bind("p", project.value()).bind("after", after == null ? 0L : after.value()).bind("limit", limit)
                .map((rs, ctx) -> hook(rs)).list());
    }

    @Override
    public long countForProject(ProjectId project) {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM project_hooks "
                + "WHERE project_id = :p").bind("p", project.value()).mapTo(Long.class).one());
    }

    private static ProjectHook hook(ResultSet rs) throws SQLException {
        Set<HookTrigger> triggers = EnumSet.noneOf(HookTrigger.class);
        String names = rs.getString("triggers");
        if (!names.isEmpty()) {
            for (String name : names.split(",")) {
                for (HookTrigger trigger : HookTrigger.values()) {
                    if (trigger.attribute().equals(name)) {
                        triggers.add(trigger);
                    }
                }
            }
        }
        return new ProjectHook(HookId.of(rs.getLong("id")), ProjectId.of(rs.getLong("project_id")),
                rs.getString("url"), rs.getString("token"), rs.getString("name"), rs.getString("description"),
                triggers, rs.getBoolean("enable_ssl_verification"), rs.getString("push_events_branch_filter"),
                rs.getString("branch_filter_strategy"), rs.getInt("recent_failures"),
                Values.instant(rs, "disabled_until"), Values.instant(rs, "created_at"));
    }

    // ------------------------------------------------------------------------------------------------ deliveries

    @Override
    public Subscribers subscribers(Set<ProjectId> projects) {
        Map<ProjectId, List<long[]>> subscribed = database.inTransaction(handle -> {
            Map<ProjectId, List<long[]>> read = new HashMap<>();
            for (ProjectId project : projects) {
                read.put(project, subscribers(handle, project));
            }
            return read;
        });
        return (events, now) -> database.inTransaction(handle -> enqueue(handle, subscribed, events, now));
    }

    private int enqueue(Handle handle, Map<ProjectId, List<long[]>> subscribed, List<StatusEvent> events,
                        Instant now) {
        PreparedBatch batch = null;
        int queued = 0;
        for (StatusEvent event : events) {
            List<long[]> hooks = subscribed.get(event.project());
            if (hooks == null) {
                throw new IllegalArgumentException("the hooks of project " + event.project().value()
                        + " were not read");
            }
            for (long[] hook : hooks) {
                boolean wants = event.kind() == EventKind.JOB ? hook[1] == 1 : hook[2] == 1;
                if (!wants) {
                    continue;
                }
                if (batch == null) {
                    // Queued in the event log's locks, so each delivery draws its id as it is inserted.
                    batch = handle.prepareBatch("INSERT INTO hook_deliveries (id, hook_id, lane, "
                            + "event_id, project_id, seq, kind, job_id, pipeline_id, status, previous_status, "
                            + "event_uuid, recorded_at, idempotency_key, delivered, attempts, next_attempt_at, "
                            + "created_at) VALUES (" + database.dialect().nextValueExpression("hook_delivery_id_seq")
                            + ", :hook_id, :lane, :event_id, :project_id, :seq, :kind, :job_id, :pipeline_id, "
                            + ":status, :previous_status, :event_uuid, :recorded_at, :key, FALSE, 0, :now, :now)");
                }
                batch.bind("hook_id", hook[0])
                        .bind("lane", Delivery.laneOf(event)).bind("event_id", event.id())
                        .bind("project_id", event.project().value()).bind("seq", event.seq())
                        .bind("kind", event.kind().wireName())
                        .bind("job_id", event.job() == null ? null : event.job().value())
                        .bind("pipeline_id", event.pipeline().value()).bind("status", event.status().wireName())
                        .bind("previous_status", event.previous() == null ? null : event.previous().wireName())
                        .bind("event_uuid", event.uuid()).bind("recorded_at", Values.instant(event.recordedAt()))
                        .bind("key", UUID.randomUUID().toString()).bind("now", Values.instant(now)).add();
                queued++;
            }
        }
        if (batch != null) {
            batch.execute();
        }
        return queued;
    }

    /** The project's hooks that take job or pipeline events and are not disabled for good: id, job?, pipeline?. */
    private static List<long[]> subscribers(Handle handle, ProjectId project) {
        return handle.createQuery("SELECT id, job_events, pipeline_events FROM project_hooks WHERE project_id = :p "
                        + "AND (job_events OR pipeline_events) AND recent_failures <= :permanent ORDER BY id")
                .bind("p", project.value()).bind("permanent", ProjectHook.PERMANENTLY_DISABLED_FAILURE_THRESHOLD)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0, rs.getBoolean(3) ? 1 : 0})
                .list();
    }

    @Override
    public List<Delivery> claimDue(Instant now, int limit, String owner, Duration lease) {
        boolean postgres = database.dialect() == Dialect.POSTGRESQL;
        return database.inTransaction(handle -> {
            // Due, not leased, of an executable hook (GitLab's executable scope), first of its lane.
            Query candidates = handle.createQuery("SELECT " + DELIVERY_COLUMNS + " FROM hook_deliveries d "
                    + "JOIN project_hooks h ON h.id = d.hook_id "
                    + "WHERE d.delivered = FALSE AND d.next_attempt_at <= :now "
                    + "AND (d.lease_until IS NULL OR d.lease_until < :now) "
                    + "AND (h.recent_failures <= :temporary OR (h.disabled_until IS NOT NULL "
                    + "AND h.disabled_until < :now)) AND h.recent_failures <= :permanent "
                    + "AND NOT EXISTS (SELECT 1 FROM hook_deliveries e WHERE e.hook_id = d.hook_id "
                    + "AND e.lane = d.lane AND e.delivered = FALSE AND e.id < d.id) "
                    + "ORDER BY d.id LIMIT :limit" + (postgres ? " FOR UPDATE OF d SKIP LOCKED" : ""))
                    .bind("now", Values.instant(now)).bind("limit", limit)
                    .bind("temporary", ProjectHook.TEMPORARILY_DISABLED_FAILURE_THRESHOLD)
                    .bind("permanent", ProjectHook.PERMANENTLY_DISABLED_FAILURE_THRESHOLD);
            List<Delivery> found = candidates.map((rs, ctx) -> delivery(rs)).list();
            List<Delivery> claimed = new ArrayList<>(found.size());
            for (Delivery delivery : found) {
                int rows = handle.createUpdate("UPDATE hook_deliveries SET lease_owner = :owner, "
                                + "lease_until = :until WHERE id = :id AND delivered = FALSE "
                                + "AND (lease_until IS NULL OR lease_until < :now)")
                        .bind("owner", owner).bind("until", Values.instant(now.plus(lease)))
                        .bind("id", delivery.id()).bind("now", Values.instant(now)).execute();
                if (rows == 1) {
                    claimed.add(delivery);
                }
            }
            return claimed;
        });
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        Long job = Values.nullableLong(rs, "job_id");
        String previous = rs.getString("previous_status");
        StatusEvent event = new StatusEvent(rs.getLong("event_id"), ProjectId.of(rs.getLong("project_id")),
                rs.getLong("seq"), EventKind.fromWireName(rs.getString("kind")), job == null ? null : JobId.of(job),
                PipelineId.of(rs.getLong("pipeline_id")), JdbiEventLog.status(rs.getString("status")),
                previous == null ? null : JdbiEventLog.status(previous), rs.getString("event_uuid"),
                Values.instant(rs, "recorded_at"));
        return new Delivery(rs.getLong("id"), HookId.of(rs.getLong("hook_id")), rs.getString("lane"), event,
                rs.getString("idempotency_key"), rs.getInt("attempts"), rs.getString("request_body"),
                Values.instant(rs, "created_at"));
    }

    @Override
    public boolean markDelivered(long deliveryId, String owner, Instant at) {
        return database.withHandle(handle -> handle.createUpdate("UPDATE hook_deliveries SET delivered = TRUE, "
                        + "delivered_at = :at, lease_owner = NULL, lease_until = NULL "
                        + "WHERE id = :id AND lease_owner = :owner AND delivered = FALSE")
                .bind("at", Values.instant(at)).bind("id", deliveryId).bind("owner", owner).execute() == 1);
    }

    @Override
    public boolean reschedule(long deliveryId, String owner, Instant nextAttemptAt, int attempts,
                              String requestBody) {
        return database.withHandle(handle -> handle.createUpdate("UPDATE hook_deliveries SET "
                        + "next_attempt_at = :next, attempts = :attempts, request_body = :body, lease_owner = NULL, "
                        + "lease_until = NULL WHERE id = :id AND lease_owner = :owner AND delivered = FALSE")
                .bind("next", Values.instant(nextAttemptAt)).bind("attempts", attempts).bind("body", requestBody)
                .bind("id", deliveryId).bind("owner", owner).execute() == 1);
    }

    @Override
    public int releaseWaiting(HookId hook, Instant now) {
        return database.withHandle(handle -> handle.createUpdate("UPDATE hook_deliveries SET next_attempt_at = :now "
                        + "WHERE hook_id = :id AND delivered = FALSE AND next_attempt_at > :now")
                .bind("now", Values.instant(now)).bind("id", hook.value()).execute());
    }

    @Override
    public long pendingCount(HookId hook) {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM hook_deliveries "
                        + "WHERE hook_id = :id AND delivered = FALSE").bind("id", hook.value())
                .mapTo(Long.class).one());
    }

    @Override
    public int pruneDelivered(Instant before, int limit) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM hook_deliveries WHERE id IN "
                        + "(SELECT id FROM hook_deliveries WHERE delivered = TRUE AND delivered_at < :before "
                        + "ORDER BY id LIMIT :limit)")
                .bind("before", Values.instant(before)).bind("limit", limit).execute());
    }

    // ------------------------------------------------------------------------------------------------------ logs

    @Override
    public HookLog log(HookLog entry) {
        long id = database.nextValue("web_hook_log_id_seq");
        database.withHandle(handle -> handle.createUpdate("INSERT INTO web_hook_logs (id, hook_id, trigger_name, url, "
                        + "request_headers, request_data, response_headers, response_body, response_status, "
                        + "status_code, execution_duration, internal_error_message, created_at) VALUES (:id, :hook, "
                        + ":trigger, :url, :request_headers, :request_data, :response_headers, :response_body, "
                        + ":response_status, :status_code, :duration, :error, :created_at)")
                .bind("id", id).bind("hook", entry.hook().value()).bind("trigger", entry.trigger())
                .bind("url", entry.url()).bind("request_headers", TextEncoding.encode(sorted(entry.requestHeaders())))
                .bind("request_data", entry.requestData())
                .bind("response_headers", TextEncoding.encode(sorted(entry.responseHeaders())))
                .bind("response_body", entry.responseBody()).bind("response_status", entry.responseStatus())
                .bind("status_code", entry.statusCode()).bind("duration", entry.executionDuration())
                .bind("error", entry.internalErrorMessage()).bind("created_at", Values.instant(entry.createdAt()))
                .execute());
        return new HookLog(id, entry.hook(), entry.trigger(), entry.url(), entry.requestHeaders(),
                entry.requestData(), entry.responseHeaders(), entry.responseBody(), entry.responseStatus(),
                entry.statusCode(), entry.executionDuration(), entry.internalErrorMessage(),
                Values.stored(entry.createdAt()));
    }

    /** Map columns keep a stable order; the entries are GitLab's headers, read back as given. */
    private static Map<String, Object> sorted(Map<String, String> headers) {
        return new java.util.TreeMap<>(headers);
    }

    @Override
    public List<HookLog> logs(HookId hook, StatusFilter filter, long offset, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT * FROM web_hook_logs WHERE hook_id = :hook"
                        + where(filter) + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bind("hook", hook.value()).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> logEntry(rs)).list());
    }

    @Override
    public List<HookLog> logsBefore(HookId hook, StatusFilter filter, Long beforeId, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT * FROM web_hook_logs WHERE hook_id = :hook"
                        + where(filter) + " AND id < :before ORDER BY id DESC LIMIT :limit")
                .bind("hook", hook.value()).bind("before", beforeId == null ? Long.MAX_VALUE : beforeId)
                .bind("limit", limit).map((rs, ctx) -> logEntry(rs)).list());
    }

    @Override
    public long countLogs(HookId hook, StatusFilter filter) {
        return database.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM web_hook_logs "
                        + "WHERE hook_id = :hook" + where(filter)).bind("hook", hook.value())
                .mapTo(Long.class).one());
    }

    /** The filter as SQL; its values are integers, written into the text. */
    private static String where(StatusFilter filter) {
        if (filter.isEmpty()) {
            return "";
        }
        List<String> terms = new ArrayList<>();
        if (!filter.codes().isEmpty()) {
            terms.add("status_code IN (" + filter.codes().stream().sorted().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ")");
        }
        for (StatusFilter.Range range : filter.ranges()) {
            terms.add("status_code BETWEEN " + range.from() + " AND " + range.to());
        }
        return " AND (" + String.join(" OR ", terms) + ")";
    }

    @SuppressWarnings("unchecked")
    private static HookLog logEntry(ResultSet rs) throws SQLException {
        Map<String, String> requestHeaders = (Map<String, String>) (Map<String, ?>) TextEncoding.decode(
                rs.getString("request_headers"));
        Map<String, String> responseHeaders = (Map<String, String>) (Map<String, ?>) TextEncoding.decode(
                rs.getString("response_headers"));
        return new HookLog(rs.getLong("id"), HookId.of(rs.getLong("hook_id")), rs.getString("trigger_name"),
                rs.getString("url"), requestHeaders, rs.getString("request_data"), responseHeaders,
                rs.getString("response_body"), rs.getString("response_status"), Values.nullableInt(rs, "status_code"),
                rs.getDouble("execution_duration"), rs.getString("internal_error_message"),
                Values.instant(rs, "created_at"));
    }

    @Override
    public int pruneLogs(Instant before, int limit) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM web_hook_logs WHERE id IN "
                        + "(SELECT id FROM web_hook_logs WHERE created_at < :before ORDER BY id LIMIT :limit)")
                .bind("before", Values.instant(before)).bind("limit", limit).execute());
    }
}
