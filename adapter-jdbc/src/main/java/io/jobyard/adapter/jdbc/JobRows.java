package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.UserId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/** The {@code jobs} table: its columns, how a {@link Job} binds to them, and the hand-written row mapper. */
final class JobRows implements RowMapper<Job> {

    /** Everything but the identity columns; the order is the one of {@link #ASSIGNMENTS} and {@link #INSERT}. */
    private static final List<String> MUTABLE = List.of(
            "name", "stage", "stage_idx", "when_condition", "start_in", "allow_failure", "dag", "needs", "tags",
            "variables", "resource_group", "retry_max", "retry_when", "debug_trace",
            "image", "services", "before_script", "script", "after_script", "dependencies", "artifacts_spec",
            "timeout_seconds",
            "status", "ref", "tag", "user_id", "runner_id", "coverage", "failure_reason", "exit_code",
            "queued_at", "started_at", "finished_at", "scheduled_at", "waiting_for_resource_at", "updated_at",
            "erased_at", "erased_by", "artifacts_expire_at", "retried", "retried_from", "auto_retries",
            "token_digest", "degenerated", "finished_order", "duration_order", "finished_order_desc",
            "duration_order_desc");

    static final String COLUMNS =
            "id, project_id, pipeline_id, created_at, lock_version, " + String.join(", ", MUTABLE);

    /** {@link #COLUMNS} of the table aliased {@code j}, for joins. */
    static final String J_COLUMNS = String.join(", ",
            List.of(COLUMNS.split(", ")).stream().map(column -> "j." + column).toList());

    /**
     * Every column, and the pipeline's source (bound as {@code pipeline_source}), which is written once: a pipeline's
     * source never changes.
     */
    static final String INSERT = "INSERT INTO jobs (" + COLUMNS + ", pipeline_source) VALUES (:id, :project_id, "
            + ":pipeline_id, :created_at, :lock_version, "
            + String.join(", ", MUTABLE.stream().map(c -> ":" + c).toList()) + ", :pipeline_source)";

    static final String ASSIGNMENTS = String.join(", ", MUTABLE.stream().map(c -> c + " = :" + c).toList());

    private final VariableColumns variables;

    JobRows(VariableColumns variables) {
        this.variables = variables;
    }

    /** Binds every column of {@code job} by its column name. */
    <S extends SqlStatement<S>> S bind(S statement, Job job) {
        JobSpec spec = job.spec();
        JobExecution execution = spec.execution();
        return statement
                .bind("id", job.id().value())
                .bind("project_id", job.projectId().value())
                .bind("pipeline_id", job.pipelineId().value())
                .bind("created_at", Values.instant(job.createdAt()))
                .bind("lock_version", job.lockVersion())
                .bind("name", spec.name())
                .bind("stage", spec.stage())
                .bind("stage_idx", spec.stageIdx())
                .bind("when_condition", spec.when().wireName())
                .bind("start_in", spec.startIn() == null ? null : spec.startIn().toString())
                .bind("allow_failure", spec.allowFailure())
                .bind("dag", spec.dag())
                .bind("needs", ColumnCodecs.strings(spec.needs()))
                .bind("tags", ColumnCodecs.strings(spec.tags()))
                .bind("variables", variables.encode(spec.variables(), "jobs", job.id().value()))
                .bind("resource_group", spec.resourceGroup())
                .bind("retry_max", spec.retry().max())
                .bind("retry_when", ColumnCodecs.strings(new TreeSet<>(spec.retry().when())))
                .bind("debug_trace", spec.debugTrace())
                .bind("image", execution.image())
                .bind("services", ColumnCodecs.strings(execution.services()))
                .bind("before_script", ColumnCodecs.strings(execution.beforeScript()))
                .bind("script", ColumnCodecs.strings(execution.script()))
                .bind("after_script", ColumnCodecs.strings(execution.afterScript()))
                .bind("dependencies", execution.dependencies() == null
                        ? null : ColumnCodecs.strings(execution.dependencies()))
                .bind("artifacts_spec", ColumnCodecs.artifactsSpec(execution.artifacts()))
                .bind("timeout_seconds", execution.timeoutSeconds())
                .bind("status", job.status().code())
                .bind("ref", job.ref())
                .bind("tag", job.tag())
                .bind("user_id", job.userId() == null ? null : job.userId().value())
                .bind("runner_id", job.runnerId() == null ? null : job.runnerId().value())
                .bind("coverage", job.coverage())
                .bind("failure_reason", job.failureReason() == null ? null : job.failureReason().wireName())
                .bind("exit_code", job.exitCode())
                .bind("queued_at", Values.instant(job.queuedAt()))
                .bind("started_at", Values.instant(job.startedAt()))
                .bind("finished_at", Values.instant(job.finishedAt()))
                .bind("scheduled_at", Values.instant(job.scheduledAt()))
                .bind("waiting_for_resource_at", Values.instant(job.waitingForResourceAt()))
                .bind("updated_at", Values.instant(job.updatedAt()))
                .bind("erased_at", Values.instant(job.erasedAt()))
                .bind("erased_by", job.erasedBy() == null ? null : job.erasedBy().value())
                .bind("artifacts_expire_at", Values.instant(job.artifactsExpireAt()))
                .bind("retried", job.retried())
                .bind("retried_from", job.retriedFrom() == null ? null : job.retriedFrom().value())
                .bind("auto_retries", job.autoRetries())
                .bind("token_digest", job.tokenDigest())
                .bind("degenerated", job.degenerated())
                .bind("finished_order", JobOrder.finishedKey(job, true))
                .bind("duration_order", JobOrder.durationKey(job, true))
                .bind("finished_order_desc", JobOrder.finishedKey(job, false))
                .bind("duration_order_desc", JobOrder.durationKey(job, false));
    }

    /** {@code job} as the database keeps it: instants at microsecond precision. */
    static Job stored(Job job) {
        return job.toBuilder()
                .createdAt(Values.stored(job.createdAt()))
                .queuedAt(Values.stored(job.queuedAt()))
                .startedAt(Values.stored(job.startedAt()))
                .finishedAt(Values.stored(job.finishedAt()))
                .scheduledAt(Values.stored(job.scheduledAt()))
                .waitingForResourceAt(Values.stored(job.waitingForResourceAt()))
                .updatedAt(Values.stored(job.updatedAt()))
                .erasedAt(Values.stored(job.erasedAt()))
                .artifactsExpireAt(Values.stored(job.artifactsExpireAt()))
                .build();
    }

    /** Finds the columns by their statement's known positions ({@link ResultColumns}), not by label per row. */
    @Override
    public RowMapper<Job> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
        ResultColumns columns = ResultColumns.of(rs, ctx);
        return (row, context) -> map(columns);
    }

    @Override
    public Job map(ResultSet rs, StatementContext ctx) throws SQLException {
        return map(ResultColumns.of(rs, ctx));
    }

    Job map(ResultColumns rs) throws SQLException {
        String startIn = rs.string("start_in");
        String dependencies = rs.string("dependencies");
        JobExecution execution = new JobExecution(
                rs.string("image"),
                ColumnCodecs.strings(rs.string("services")),
                ColumnCodecs.strings(rs.string("before_script")),
                ColumnCodecs.strings(rs.string("script")),
                ColumnCodecs.strings(rs.string("after_script")),
                dependencies == null ? null : ColumnCodecs.strings(dependencies),
                ColumnCodecs.artifactsSpec(rs.string("artifacts_spec")),
                rs.nullableInt("timeout_seconds"));
        JobSpec spec = new JobSpec(
                rs.string("name"),
                rs.string("stage"),
                rs.intValue("stage_idx"),
                WhenCondition.fromWireName(rs.string("when_condition")).orElseThrow(),
                startIn == null ? null : Duration.parse(startIn),
                rs.bool("allow_failure"),
                rs.bool("dag"),
                ColumnCodecs.strings(rs.string("needs")),
                ColumnCodecs.strings(rs.string("tags")),
                variables.decode(rs.string("variables"), "jobs", rs.longValue("id")),
                rs.string("resource_group"),
                new RetryPolicy(rs.intValue("retry_max"),
                        new TreeSet<>(ColumnCodecs.strings(rs.string("retry_when")))),
                rs.bool("debug_trace"),
                execution);
        String failureReason = rs.string("failure_reason");
        Long userId = rs.nullableLong("user_id");
        Long runnerId = rs.nullableLong("runner_id");
        Long erasedBy = rs.nullableLong("erased_by");
        Long retriedFrom = rs.nullableLong("retried_from");
        return Job.builder()
                .id(JobId.of(rs.longValue("id")))
                .projectId(ProjectId.of(rs.longValue("project_id")))
                .pipelineId(PipelineId.of(rs.longValue("pipeline_id")))
                .spec(spec)
                .status(JobStatus.fromCode(rs.intValue("status")))
                .ref(rs.string("ref"))
                .tag(rs.bool("tag"))
                .userId(userId == null ? null : UserId.of(userId))
                .runnerId(runnerId == null ? null : RunnerId.of(runnerId))
                .coverage(rs.nullableDouble("coverage"))
                .failureReason(failureReason == null ? null : FailureReason.fromRunner(failureReason))
                .exitCode(rs.nullableInt("exit_code"))
                .createdAt(rs.instant("created_at"))
                .queuedAt(rs.instant("queued_at"))
                .startedAt(rs.instant("started_at"))
                .finishedAt(rs.instant("finished_at"))
                .scheduledAt(rs.instant("scheduled_at"))
                .waitingForResourceAt(rs.instant("waiting_for_resource_at"))
                .updatedAt(rs.instant("updated_at"))
                .erasedAt(rs.instant("erased_at"))
                .erasedBy(erasedBy == null ? null : UserId.of(erasedBy))
                .artifactsExpireAt(rs.instant("artifacts_expire_at"))
                .retried(rs.bool("retried"))
                .retriedFrom(retriedFrom == null ? null : JobId.of(retriedFrom))
                .autoRetries(rs.intValue("auto_retries"))
                .tokenDigest(rs.string("token_digest"))
                .degenerated(rs.bool("degenerated"))
                .lockVersion(rs.longValue("lock_version"))
                .build();
    }
}
