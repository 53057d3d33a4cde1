package io.jobyard.adapter.jdbc;

import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.user.UserId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The {@code pipelines} table. Commit dates are kept as ISO-8601 text: GitLab shows them with the committer's offset,
 * which {@code TIMESTAMP WITH TIME ZONE} on PostgreSQL would normalize away.
 */
final class PipelineRows implements RowMapper<Pipeline> {

    private static final List<String> MUTABLE = List.of(
            "ref", "tag", "sha", "commit_title", "commit_message", "author_name", "author_email", "authored_date",
            "committer_name", "committer_email", "committed_date", "parent_ids", "source", "status", "stages",
            "variables", "user_id", "updated_at", "started_at", "finished_at");

    /** What the creator said about where the commit comes from: set once, never updated. */
    static final String COLUMNS = "id, iid, project_id, created_at, lock_version, before_sha, repository_url, "
            + String.join(", ", MUTABLE);

    static final String INSERT = "INSERT INTO pipelines (" + COLUMNS + ") VALUES (:id, :iid, :project_id, "
            + ":created_at, :lock_version, :before_sha, :repository_url, "
            + String.join(", ", MUTABLE.stream().map(c -> ":" + c).toList()) + ")";

    static final String ASSIGNMENTS = String.join(", ", MUTABLE.stream().map(c -> c + " = :" + c).toList());

    private final VariableColumns variables;

    PipelineRows(VariableColumns variables) {
        this.variables = variables;
    }

    <S extends SqlStatement<S>> S bind(S statement, Pipeline pipeline) {
        Commit commit = pipeline.commit();
        return statement
                .bind("id", pipeline.id().value())
                .bind("iid", pipeline.iid())
                .bind("project_id", pipeline.projectId().value())
                .bind("created_at", Values.instant(pipeline.createdAt()))
                .bind("lock_version", pipeline.lockVersion())
                .bind("before_sha", pipeline.beforeSha())
                .bind("repository_url", pipeline.repository() == null ? null : pipeline.repository().value())
                .bind("ref", pipeline.ref())
                .bind("tag", pipeline.tag())
                .bind("sha", commit.sha())
                .bind("commit_title", commit.title())
                .bind("commit_message", commit.message())
                .bind("author_name", commit.authorName())
                .bind("author_email", commit.authorEmail())
                .bind("authored_date", text(commit.authoredDate()))
                .bind("committer_name", commit.committerName())
                .bind("committer_email", commit.committerEmail())
                .bind("committed_date", text(commit.committedDate()))
                .bind("parent_ids", ColumnCodecs.strings(commit.parentIds()))
                .bind("source", pipeline.source().wireName())
                .bind("status", pipeline.status().code())
                .bind("stages", ColumnCodecs.strings(pipeline.stages()))
                .bind("variables", variables.encode(pipeline.variables(), "pipelines", pipeline.id().value()))
                .bind("user_id", pipeline.userId() == null ? null : pipeline.userId().value())
                .bind("updated_at", Values.instant(pipeline.updatedAt()))
                .bind("started_at", Values.instant(pipeline.startedAt()))
                .bind("finished_at", Values.instant(pipeline.finishedAt()));
    }

    static Pipeline stored(Pipeline p) {
        return new Pipeline(p.id(), p.iid(), p.projectId(), p.ref(), p.tag(), p.commit(), p.source(), p.status(),
                p.stages(), p.variables(), p.userId(), Values.stored(p.createdAt()), Values.stored(p.updatedAt()),
                Values.stored(p.startedAt()), Values.stored(p.finishedAt()), p.lockVersion(), p.beforeSha(),
                p.repository());
    }

    /** Finds the columns by their statement's known positions ({@link ResultColumns}), not by label per row. */
    @Override
    public RowMapper<Pipeline> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
        ResultColumns columns = ResultColumns.of(rs, ctx);
        return (row, context) -> map(columns);
    }

    @Override
    public Pipeline map(ResultSet rs, StatementContext ctx) throws SQLException {
        return map(ResultColumns.of(rs, ctx));
    }

    Pipeline map(ResultColumns rs) throws SQLException {
        Commit commit = new Commit(
                rs.string("sha"),
                rs.string("commit_title"),
                rs.string("commit_message"),
                rs.string("author_name"),
                rs.string("author_email"),
                dateTime(rs.string("authored_date")),
                rs.string("committer_name"),
                rs.string("committer_email"),
                dateTime(rs.string("committed_date")),
                ColumnCodecs.strings(rs.string("parent_ids")));
        Long userId = rs.nullableLong("user_id");
        return new Pipeline(
                PipelineId.of(rs.longValue("id")),
                rs.longValue("iid"),
                ProjectId.of(rs.longValue("project_id")),
                rs.string("ref"),
                rs.bool("tag"),
                commit,
                PipelineSource.fromWireName(rs.string("source")).orElseThrow(),
                JobStatus.fromCode(rs.intValue("status")),
                ColumnCodecs.strings(rs.string("stages")),
                variables.decode(rs.string("variables"), "pipelines", rs.longValue("id")),
                userId == null ? null : UserId.of(userId),
                rs.instant("created_at"),
                rs.instant("updated_at"),
                rs.instant("started_at"),
                rs.instant("finished_at"),
                rs.longValue("lock_version"),
                rs.string("before_sha"),
                repository(rs.string("repository_url")));
    }

    static RepositoryUrl repository(String value) {
        return value == null ? null : new RepositoryUrl(value);
    }

    private static String text(OffsetDateTime value) {
        return value == null ? null : value.toString();
    }

    private static OffsetDateTime dateTime(String value) {
        return value == null ? null : OffsetDateTime.parse(value);
    }
}
