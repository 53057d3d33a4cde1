package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.UserId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Projects and memberships. Full paths are unique regardless of case, through a lowercased copy. */
public final class JdbiProjectRepository implements ProjectRepository {
    private static final String COLUMNS = "id, name, path, namespace_path, visibility_level, public_builds, "
            + "ci_job_token_scope_enabled, created_at, description, default_branch, repository_url";

    private static final String PREFIXED_COLUMNS = Arrays.stream(COLUMNS.split(", "))
            .map(column -> "p." + column).collect(Collectors.joining(", "));

    private static final RowMapper<Project> MAPPER = (rs, ctx) -> new Project(
            ProjectId.of(rs.getLong("id")),
            rs.getString("name"),
            rs.getString("path"),
            rs.getString("namespace_path"),
            visibility(rs.getInt("visibility_level")),
            rs.getBoolean("public_builds"),
            rs.getBoolean("ci_job_token_scope_enabled"),
            Values.instant(rs, "created_at"),
            rs.getString("description"),
            rs.getString("default_branch"),
            PipelineRows.repository(rs.getString("repository_url")));

    private static final RowMapper<Membership> MEMBER = (rs, ctx) -> new Membership(
            ProjectId.of(rs.getLong("project_id")),
            UserId.of(rs.getLong("user_id")),
            role(rs.getInt("access_level")));

    private final Database database;

    JdbiProjectRepository(Database database) {
        this.database = database;
    }

    /**
     * {@code handle} after changing the access version in its transaction: every write to projects and memberships
     * changes who may read what, so each one bumps it first (see {@link JdbiAccessVersions}).
     */
    private static Handle bumped(Handle handle) {
        JdbiAccessVersions.bump(handle);
        return handle;
    }

    @Override
    public ProjectId nextId() {
        return ProjectId.of(database.nextValue("project_id_seq"));
    }

    @Override
    public Project insert(Project project) {
        try {
            return database.inTransaction(handle -> {
                bind(bumped(handle).createUpdate("INSERT INTO projects (" + COLUMNS
                        + ", full_path, full_path_lower) VALUES "
                        + "(:id, :name, :path, :namespace_path, :visibility_level, :public_builds, "
                        + ":ci_job_token_scope_enabled, :created_at, :description, :default_branch, :repository_url, "
                        + ":full_path, :full_path_lower)"), project)
                        .execute();
                return stored(project);
            });
        } catch (ConflictException e) {
            throw new ConflictException("Project path " + project.fullPath() + " has already been taken");
        }
    }

    @Override
    public Project update(Project project) {
        int rows;
        try {
            rows = database.inTransaction(handle -> bind(bumped(handle).createUpdate(
                    "UPDATE projects SET name = :name, "
                    + "path = :path, namespace_path = :namespace_path, visibility_level = :visibility_level, "
                    + "public_builds = :public_builds, ci_job_token_scope_enabled = :ci_job_token_scope_enabled, "
                    + "description = :description, default_branch = :default_branch, "
                    + "repository_url = :repository_url, "
                    + "full_path = :full_path, full_path_lower = :full_path_lower WHERE id = :id"), project)
                    .execute());
        } catch (ConflictException e) {
            throw new ConflictException("Project path " + project.fullPath() + " has already been taken");
        }
        if (rows == 0) {
            throw NotFoundException.resource("Project");
        }
        return stored(project);
    }

    @Override
    public Optional<Project> findById(ProjectId id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM projects WHERE id = :id")
                .bind("id", id.value()).map(MAPPER).findOne());
    }

    @Override
    public Optional<ProjectWithRole> findWithRole(ProjectId id, UserId user) {
        if (user == null) {
            return findById(id).map(project -> new ProjectWithRole(project, null));
        }
        return database.withHandle(handle -> handle.createQuery("SELECT " + PREFIXED_COLUMNS + ", m.access_level "
                        + "FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = :user "
                        + "WHERE p.id = :id")
                .bind("id", id.value()).bind("user", user.value())
                .map((rs, ctx) -> {
                    Integer level = Values.nullableInt(rs, "access_level");
                    return new ProjectWithRole(MAPPER.map(rs, ctx), level == null ? null : role(level));
                })
                .findOne());
    }

    @Override
    public Optional<Project> findByFullPath(String fullPath) {
        if (fullPath == null) {
            return Optional.empty();
        }
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM projects WHERE full_path_lower = :path")
                .bind("path", fullPath.toLowerCase(Locale.ROOT)).map(MAPPER).findOne());
    }

    @Override
    public List<Project> list(long offset, int limit) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM projects ORDER BY id" + Paging.limitOffset(limit, offset))
                .map(MAPPER).list());
    }

    @Override
    public List<Project> search(ProjectSearch search, long offset, int limit) {
        return database.withHandle(handle -> bind(handle.createQuery("SELECT " + COLUMNS + " FROM projects p"
                        + where(search) + " ORDER BY id DESC" + Paging.limitOffset(limit, offset)), search)
                .map(MAPPER).list());
    }

    /** The primary key walked backwards from the position: a page costs the same at any depth. */
    @Override
    public List<Project> searchBefore(ProjectSearch search, ProjectId beforeId, int limit) {
        String where = where(search);
        String position = beforeId == null ? "" : (where.isEmpty() ? " WHERE" : " AND") + " p.id < :before";
        return database.withHandle(handle -> {
            Query query = bind(handle.createQuery("SELECT " + COLUMNS + " FROM projects p" + where + position
                    + " ORDER BY id DESC" + Paging.limit(limit)), search);
            if (beforeId != null) {
                query.bind("before", beforeId.value());
            }
            return query.map(MAPPER).list();
        });
    }

    @Override
    public long count(ProjectSearch search) {
        return database.withHandle(handle -> bind(handle.createQuery("SELECT COUNT(*) FROM projects p"
                + where(search)), search).mapTo(Long.class).one());
    }

    private static String where(ProjectSearch search) {
        List<String> conditions = new ArrayList<>();
        String member = "EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = :viewer";
        if (!search.everything()) {
            conditions.add(search.viewer() == null
                    ? "p.visibility_level = " + Visibility.PUBLIC.level()
                    : "(p.visibility_level IN (" + Visibility.PUBLIC.level() + ", " + Visibility.INTERNAL.level()
                            + ") OR " + member + "))");
        }
        if (search.memberAtLeast() != null) {
            conditions.add(member + " AND m.access_level >= :level)");
        }
        if (search.visibility() != null) {
            conditions.add("p.visibility_level = :visibility");
        }
        if (search.text() != null) {
            conditions.add("(LOWER(p.name) LIKE :pattern" + LikePatterns.ESCAPE + " OR LOWER(p.path) LIKE :pattern"
                    + LikePatterns.ESCAPE + ")");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static Query bind(Query query, ProjectSearch search) {
        if (search.viewer() != null && (!search.everything() || search.memberAtLeast() != null)) {
            query.bind("viewer", search.viewer().value());
        }
        if (search.memberAtLeast() != null) {
            query.bind("level", search.memberAtLeast().accessLevel());
        }
        if (search.visibility() != null) {
            query.bind("visibility", search.visibility().level());
        }
        if (search.text() != null) {
            query.bind("pattern", LikePatterns.containing(search.text()));
        }
        return query;
    }

    @Override
    public Map<ProjectId, Role> rolesOf(UserId user, Collection<ProjectId> projects) {
        if (projects.isEmpty()) {
            return Map.of();
        }
        List<Membership> found = database.withHandle(handle -> handle.createQuery("SELECT project_id, user_id, "
                        + "access_level FROM project_members WHERE user_id = :user AND project_id IN (<projects>)")
                .bind("user", user.value())
                .bindList("projects", projects.stream().map(ProjectId::value).distinct().toList())
                .map(MEMBER).list());
        Map<ProjectId, Role> roles = new LinkedHashMap<>();
        found.forEach(membership -> roles.put(membership.projectId(), membership.role()));
        return roles;
    }

    @Override
    public Optional<Role> roleOf(ProjectId project, UserId user) {
        return database.withHandle(handle -> handle.createQuery("SELECT access_level FROM project_members "
                        + "WHERE project_id = :project AND user_id = :user")
                .bind("project", project.value()).bind("user", user.value()).mapTo(Integer.class).findOne())
                .map(JdbiProjectRepository::role);
    }

    /** Update first, insert when there was nothing to update; a concurrent insert of the same member retries. */
    @Override
    public void putMember(ProjectId project, UserId user, Role role) {
        for (int attempt = 0; ; attempt++) {
            try {
                database.inTransaction(handle -> {
                    JdbiAccessVersions.bump(handle);
                    int rows = handle.createUpdate("UPDATE project_members SET access_level = :level "
                                    + "WHERE project_id = :project AND user_id = :user")
                            .bind("level", role.accessLevel()).bind("project", project.value())
                            .bind("user", user.value()).execute();
                    if (rows == 0) {
                        handle.createUpdate("INSERT INTO project_members (project_id, user_id, access_level) "
                                        + "VALUES (:project, :user, :level)")
                                .bind("level", role.accessLevel()).bind("project", project.value())
                                .bind("user", user.value()).execute();
                    }
                    return null;
                });
                return;
            } catch (ConflictException e) {
                if (attempt > 0 || database.insideTransaction()) {
                    throw e;
                }
            }
        }
    }

    @Override
    public boolean removeMember(ProjectId project, UserId user) {
        return database.inTransaction(handle -> bumped(handle).createUpdate("DELETE FROM project_members "
                        + "WHERE project_id = :project AND user_id = :user")
                .bind("project", project.value()).bind("user", user.value()).execute()) > 0;
    }

    @Override
    public int removeMemberships(UserId user) {
        return database.inTransaction(handle -> bumped(handle).createUpdate(
                        "DELETE FROM project_members WHERE user_id = :user")
                .bind("user", user.value()).execute());
    }

    @Override
    public List<Membership> members(ProjectId project) {
        return database.withHandle(handle -> handle.createQuery("SELECT project_id, user_id, access_level "
                        + "FROM project_members WHERE project_id = :project ORDER BY user_id")
                .bind("project", project.value()).map(MEMBER).list());
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Project project) {
        return statement
                .bind("id", project.id().value())
                .bind("name", project.name())
                .bind("path", project.path())
                .bind("namespace_path", project.namespacePath())
                .bind("visibility_level", project.visibility().level())
                .bind("public_builds", project.publicBuilds())
                .bind("ci_job_token_scope_enabled", project.ciJobTokenScopeEnabled())
                .bind("created_at", Values.instant(project.createdAt()))
                .bind("description", project.description())
                .bind("default_branch", project.defaultBranch())
                .bind("repository_url", project.repository() == null ? null : project.repository().value())
                .bind("full_path", project.fullPath())
                .bind("full_path_lower", project.fullPath().toLowerCase(Locale.ROOT));
    }

    private static Project stored(Project p) {
        return new Project(p.id(), p.name(), p.path(), p.namespacePath(), p.visibility(), p.publicBuilds(),
                p.ciJobTokenScopeEnabled(), Values.stored(p.createdAt()), p.description(), p.defaultBranch(),
                p.repository());
    }

    private static Visibility visibility(int level) {
        return Arrays.stream(Visibility.values()).filter(v -> v.level() == level).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown visibility level " + level));
    }

    private static Role role(int level) {
        return Role.fromAccessLevel(level)
                .orElseThrow(() -> new IllegalStateException("unknown access level " + level));
    }
}
