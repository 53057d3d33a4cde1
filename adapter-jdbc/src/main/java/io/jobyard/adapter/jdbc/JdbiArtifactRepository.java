package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.ProjectId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Artifact records in {@code job_artifacts}: one per job and file type. */
public final class JdbiArtifactRepository implements ArtifactRepository {
    private static final String COLUMNS = "id, job_id, project_id, file_type, file_format, filename, size_bytes, "
            + "sha256, expire_at, locked, accessibility, storage_key, created_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM job_artifacts ";

    private static final RowMapper<JobArtifact> MAPPER = ResultColumns.mapper(rs -> new JobArtifact(
            ArtifactId.of(rs.longValue("id")),
            JobId.of(rs.longValue("job_id")),
            ProjectId.of(rs.longValue("project_id")),
            ArtifactFileType.fromCode(rs.intValue("file_type")),
            format(rs.intValue("file_format")),
            rs.string("filename"),
            rs.longValue("size_bytes"),
            rs.string("sha256"),
            rs.instant("expire_at"),
            rs.bool("locked"),
            ArtifactAccessibility.valueOf(rs.string("accessibility").toUpperCase(Locale.ROOT)),
            rs.string("storage_key"),
            rs.instant("created_at")));

    private final Database database;

    JdbiArtifactRepository(Database database) {
        this.database = database;
    }

    @Override
    public ArtifactId nextId() {
        return ArtifactId.of(database.nextValue("job_artifact_id_seq"));
    }

    @Override
    public JobArtifact insert(JobArtifact artifact) {
        try {
            return database.withHandle(handle -> {
                bind(handle.createUpdate("INSERT INTO job_artifacts (" + COLUMNS + ") VALUES (:id, :job_id, "
                        + ":project_id, :file_type, :file_format, :filename, :size_bytes, :sha256, :expire_at, "
                        + ":locked, :accessibility, :storage_key, :created_at)"), artifact).execute();
                return stored(artifact);
            });
        } catch (ConflictException e) {
            throw new ConflictException("job " + artifact.jobId() + " already has a " + artifact.fileType().wireName()
                    + " artifact");
        }
    }

    @Override
    public JobArtifact update(JobArtifact artifact) {
        int rows;
        try {
            rows = database.withHandle(handle -> bind(handle.createUpdate("UPDATE job_artifacts SET "
                    + "job_id = :job_id, project_id = :project_id, file_type = :file_type, "
                    + "file_format = :file_format, filename = :filename, size_bytes = :size_bytes, sha256 = :sha256, "
                    + "expire_at = :expire_at, locked = :locked, accessibility = :accessibility, "
                    + "storage_key = :storage_key WHERE id = :id"), artifact).execute());
        } catch (ConflictException e) {
            throw new ConflictException("job " + artifact.jobId() + " already has a " + artifact.fileType().wireName()
                    + " artifact");
        }
        if (rows == 0) {
            throw NotFoundException.record("Artifact");
        }
        return stored(artifact);
    }

    @Override
    public boolean delete(ArtifactId id) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM job_artifacts WHERE id = :id")
                .bind("id", id.value()).execute()) > 0;
    }

    @Override
    public Optional<JobArtifact> findById(ArtifactId id) {
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE id = :id")
                .bind("id", id.value()).map(MAPPER).findOne());
    }

    @Override
    public List<JobArtifact> findByJob(JobId job) {
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE job_id = :job ORDER BY id")
                .bind("job", job.value()).map(MAPPER).list());
    }

    @Override
    public Optional<JobArtifact> findByJobAndType(JobId job, ArtifactFileType type) {
        return database.withHandle(handle -> handle.createQuery(SELECT + "WHERE job_id = :job AND file_type = :type")
                .bind("job", job.value()).bind("type", type.code()).map(MAPPER).findOne());
    }

    @Override
    public Map<JobId, List<JobArtifact>> findByJobs(Collection<JobId> jobs) {
        if (jobs.isEmpty()) {
            return Map.of();
        }
        List<Long> ids = jobs.stream().map(JobId::value).distinct().toList();
        List<JobArtifact> found = database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE job_id IN (<ids>) ORDER BY job_id, id")
                .bindList("ids", ids).map(MAPPER).list());
        Map<JobId, List<JobArtifact>> byJob = new LinkedHashMap<>();
        found.forEach(artifact -> byJob.computeIfAbsent(artifact.jobId(), k -> new ArrayList<>()).add(artifact));
        byJob.replaceAll((job, list) -> List.copyOf(list));
        return byJob;
    }

    @Override
    public List<JobArtifact> findExpired(Instant now, int limit) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE expire_at < :now AND locked = FALSE ORDER BY expire_at, id" + Paging.limit(limit))
                .bind("now", Values.instant(now)).map(MAPPER).list());
    }

    @Override
    public List<JobArtifact> findExpiredLocked(Instant now, ArtifactId afterId, int limit) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE locked = TRUE AND expire_at < :now AND id > :after ORDER BY id" + Paging.limit(limit))
                .bind("now", Values.instant(now)).bind("after", afterId == null ? 0L : afterId.value())
                .map(MAPPER).list());
    }

    @Override
    public List<JobArtifact> findByProject(ProjectId project, ArtifactId afterId, int limit) {
        return database.withHandle(handle -> handle.createQuery(SELECT
                        + "WHERE project_id = :project AND id > :after ORDER BY project_id, id" + Paging.limit(limit))
                .bind("project", project.value()).bind("after", afterId == null ? 0L : afterId.value())
                .map(MAPPER).list());
    }

    @Override
    public Set<String> findReferencedStorageKeys(Collection<String> storageKeys) {
        if (storageKeys.isEmpty()) {
            return Set.of();
        }
        List<String> keys = storageKeys.stream().distinct().toList();
        return Set.copyOf(database.withHandle(handle -> handle.createQuery(
                        "SELECT storage_key FROM job_artifacts WHERE storage_key IN (<keys>)")
                .bindList("keys", keys).mapTo(String.class).list()));
    }

    private static <S extends SqlStatement<S>> S bind(S statement, JobArtifact artifact) {
        return statement
                .bind("id", artifact.id().value())
                .bind("job_id", artifact.jobId().value())
                .bind("project_id", artifact.projectId().value())
                .bind("file_type", artifact.fileType().code())
                .bind("file_format", artifact.fileFormat().code())
                .bind("filename", artifact.filename())
                .bind("size_bytes", artifact.size())
                .bind("sha256", artifact.sha256())
                .bind("expire_at", Values.instant(artifact.expireAt()))
                .bind("locked", artifact.locked())
                .bind("accessibility", artifact.accessibility().wireName())
                .bind("storage_key", artifact.storageKey())
                .bind("created_at", Values.instant(artifact.createdAt()));
    }

    private static JobArtifact stored(JobArtifact a) {
        return new JobArtifact(a.id(), a.jobId(), a.projectId(), a.fileType(), a.fileFormat(), a.filename(), a.size(),
                a.sha256(), Values.stored(a.expireAt()), a.locked(), a.accessibility(), a.storageKey(),
                Values.stored(a.createdAt()));
    }

    private static ArtifactFormat format(int code) {
        return Arrays.stream(ArtifactFormat.values()).filter(f -> f.code() == code).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown artifact format " + code));
    }
}
