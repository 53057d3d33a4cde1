package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Choosing a search's driver counts each candidate filter's rows; once one filter is known to have few, the others
 * are counted only just past that. At 1,000,000 jobs a pipeline's jobs filtered by a name glob counted 2,000 rows of
 * the glob on every request (8 ms of CPU, a sixth of the request rate).
 */
class JobSearchProbesTest {
    private static final Pattern PROBE_LIMIT = Pattern.compile("^SELECT COUNT\\(\\*\\) FROM \\(SELECT 1 .* LIMIT (\\d+)\\) reached$");

    @TempDir
    Path directory;

    private HikariDataSource pool;
    private JdbcPersistence persistence;
    private JobSearchFixture.Loaded loaded;
    private final StatementCounter statements = new StatementCounter();

    /** An H2 database with the fixture's project of {@code jobs} jobs; its statements recorded from now on. */
    private void load(int jobs) {
        pool = TestStores.h2DataSource(directory);
        persistence = JdbcPersistence.migrateAndOpen(pool);
        loaded = JobSearchFixture.load(persistence, jobs, progress -> { });
        persistence.withSqlLogger(statements);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void laterProbesCountOnlyPastTheFewestRowsSoFar() {
        load(2_000);
        JdbiJobRepository jobs = ((JdbiJobRepository) persistence.jobs()).withCaps(1_000,
                JdbiJobRepository.FALLBACK_CAP);
        Pipeline pipeline = loaded.pipelines().get(loaded.pipelines().size() / 2);
        JobFilter filter = JobFilter.builder().pipeline(pipeline.id()).name("rspec*").build();

        statements.reset();
        List<Job> page = jobs.search(loaded.project().id(), filter, JobOrdering.NEWEST_FIRST, null, 0, 101);

        assertThat(page).hasSize(16).allSatisfy(job -> {
            assertThat(job.pipelineId()).isEqualTo(pipeline.id());
            assertThat(job.name()).startsWith("rspec ");
        });
        assertThat(page).isSortedAccordingTo((a, b) -> Long.compare(b.id().value(), a.id().value()));
        List<Integer> limits = statements.statements().stream().map(PROBE_LIMIT::matcher)
                .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).toList();
        // the pipeline's 20 jobs first, then the glob's 1,600 only as far as 32
        assertThat(limits).containsExactly(1_000, JdbiJobRepository.MIN_PROBE_CAP);
    }

    /**
     * H2 parses and plans a statement with a LIKE again on every execution; a glob that is a literal start and one
     * {@code *} is its index range alone, and runs no LIKE at all (its matches are those of the glob).
     */
    @Test
    void aGlobThatIsALiteralStartRunsNoLikeOnH2() {
        load(400);

        List<Job> prefixed = persistence.jobs().search(loaded.project().id(),
                JobFilter.builder().name("rspec 1*").build(), JobOrdering.NEWEST_FIRST, null, 0, 1_000);
        assertThat(statements.statements()).isNotEmpty().noneMatch(sql -> sql.contains(" LIKE "));
        // rspec 1/16 and 10/16 … 16/16 of each of the 20 pipelines
        assertThat(prefixed).hasSize(8 * 20).allSatisfy(job -> assertThat(job.name()).startsWith("rspec 1"));

        statements.reset();
        List<Job> inner = persistence.jobs().search(loaded.project().id(),
                JobFilter.builder().name("rspec 1*/16").build(), JobOrdering.NEWEST_FIRST, null, 0, 1_000);
        assertThat(statements.statements()).anyMatch(sql -> sql.contains(" LIKE "));
        assertThat(inner).hasSize(8 * 20);
    }

    /**
     * Jobs with artifacts listed by id come from the artifacts' index in job id order (ids in batches, then those jobs
     * by key), not from a walk of every job asking each for artifacts; keyset pages in both directions, alone and with
     * another filter that lets few of each batch through, list exactly the jobs the rule names.
     */
    @Test
    void jobsWithArtifactsArePagedThroughTheArtifactsIndex() {
        load(4_000);
        JobRepository jobs = persistence.jobs();
        List<Long> withArtifacts = persistence.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT DISTINCT j.id FROM jobs j JOIN job_artifacts a ON a.job_id = j.id"
                                + " WHERE j.project_id = :project AND a.file_type <> :trace ORDER BY j.id")
                .bind("project", loaded.project().id().value())
                .bind("trace", ArtifactFileType.TRACE.code()).mapTo(Long.class).list());
        assertThat(withArtifacts).as("more than one batch of artifact rows").hasSizeGreaterThan(300);

        statements.reset();
        JobFilter filter = JobFilter.builder().withArtifacts(true).build();
        List<Job> first = jobs.search(loaded.project().id(), filter, JobOrdering.NEWEST_FIRST, null, 0, 21);
        assertThat(first).extracting(job -> job.id().value())
                .containsExactlyElementsOf(reversed(withArtifacts).subList(0, 21));
        assertThat(statements.statements()).anyMatch(sql -> sql.contains("job_artifacts_project_job_idx"))
                .noneMatch(sql -> sql.contains("USE INDEX (jobs_project_id_idx)"));

        for (boolean ascending : List.of(false, true)) {
            JobOrdering ordering = new JobOrdering(JobOrder.ID, ascending);
            List<Long> expected = ascending ? withArtifacts : reversed(withArtifacts);
            statements.reset();
            assertThat(walk(jobs, loaded, filter, ordering, 37)).as("by id, ascending %s", ascending)
                    .containsExactlyElementsOf(expected);
            // every page the same few statement texts: ids and positions are bound, never spelled into the text
            assertThat(statements.statements().stream().distinct().count()).as("statement texts of %s pages",
                    expected.size() / 37 + 1).isLessThanOrEqualTo(4);
            // another filter that few jobs with artifacts pass: several batches per page, or the walk
            JobFilter deploys = JobFilter.builder().withArtifacts(true).name("deploy").build();
            List<Long> expectedDeploys = expected.stream().filter(id -> persistence.jobs()
                    .findById(io.jobyard.domain.job.JobId.of(id)).orElseThrow().name().equals("deploy")).toList();
            assertThat(walk(jobs, loaded, deploys, ordering, 5)).as("deploys, ascending %s", ascending)
                    .containsExactlyElementsOf(expectedDeploys);
        }
    }

    /**
     * A list by id whose rows all lie at its far end (jobs created in the last tenth, oldest first; the first tenth,
     * newest first) walks from where the filter's rows start, not through every job before them: at 1,000,000 jobs
     * that walk took 3 s a page. Jobs whose creation times do not follow their ids (one of the oldest created last)
     * still come where they belong.
     */
    @Test
    void rowsFarDownTheListAreReachedWithoutWalkingEveryJobBefore() {
        load(8_000);
        // read and sort a filter's rows only below 200, as 10,000 of a million; walks give up after 100 entries (50
        // of a filter's index), so that the last tenth lies far beyond them, as at a million jobs
        JdbiJobRepository jobs = ((JdbiJobRepository) persistence.jobs()).withCaps(16, 200).withBudgets(100, 50);
        var project = loaded.project().id();
        java.time.Instant late = loaded.at(0.9);
        java.time.Instant early = loaded.at(0.1);
        List<Long> lateIds = idsWhere("created_at >= :at", late);
        assertThat(lateIds).as("the last tenth, far beyond the walk's budget").hasSizeGreaterThan(200)
                .allSatisfy(id -> assertThat(id).isGreaterThan(100L * JdbiJobRepository.NEAR_BUDGETS));

        statements.reset();
        JobFilter createdAfter = JobFilter.builder().createdAfter(late).build();
        JobOrdering oldestFirst = new JobOrdering(JobOrder.ID, true);
        List<Job> page = jobs.search(project, createdAfter, oldestFirst, null, 0, 21);
        assertThat(page).extracting(job -> job.id().value()).containsExactlyElementsOf(lateIds.subList(0, 21));
        assertThat(walkStart()).as("where the last walk started").isEqualTo(lateIds.get(0) - 1);

        statements.reset();
        JobFilter createdBefore = JobFilter.builder().createdBefore(early).build();
        List<Long> earlyIds = reversed(idsWhere("created_at <= :at", early));
        List<Job> newestFirst = jobs.search(project, createdBefore, JobOrdering.NEWEST_FIRST, null, 0, 21);
        assertThat(newestFirst).extracting(job -> job.id().value())
                .containsExactlyElementsOf(earlyIds.subList(0, 21));
        assertThat(walkStart()).isEqualTo(earlyIds.get(0) + 1);

        // the same bound with a filter of many rows whose index is in id order (a stage): that index is read from
        // where the bound's rows start too, not from the stage's first job
        statements.reset();
        JobFilter testsCreatedLate = JobFilter.builder().stage("test").createdAfter(late).build();
        List<Long> lateTests = persistence.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT id FROM jobs WHERE project_id = :project AND stage = 'test' AND created_at >= :at"
                                + " ORDER BY id")
                .bind("project", project.value()).bind("at", Values.instant(late)).mapTo(Long.class).list());
        assertThat(jobs.search(project, testsCreatedLate, oldestFirst, null, 0, 21)).extracting(job -> job.id().value())
                .containsExactlyElementsOf(lateTests.subList(0, 21));
        assertThat(walkStart()).isEqualTo(lateIds.get(0) - 1);

        // another order (by update time): the walk goes on from the first entry of the order's index whose id can
        // be in the range, found among the index's entries
        statements.reset();
        JobOrdering byUpdate = new JobOrdering(JobOrder.UPDATED_AT, true);
        List<Long> lateByUpdate = lateByUpdate(late);
        assertThat(jobs.search(project, createdAfter, byUpdate, null, 0, 21)).extracting(job -> job.id().value())
                .containsExactlyElementsOf(lateByUpdate.subList(0, 21));
        assertThat(statements.statements()).as("statements of a page by update time")
                .anyMatch(sql -> sql.contains(":edge_id"));

        // a bound on the list's own order column: the walk's budget counts from the bound, so the page comes from the
        // bounded walk within the range, not from a walk to a boundary long before it and on from there
        statements.reset();
        List<Job> byCreation = jobs.search(project, createdAfter, new JobOrdering(JobOrder.CREATED_AT, true), null,
                0, 21);
        assertThat(byCreation).extracting(job -> job.id().value()).containsExactlyElementsOf(lateIds.subList(0, 21));
        assertThat(statements.statements()).as("statements of a page by creation time")
                .noneMatch(sql -> sql.contains(":after_id"));

        // a range whose rows begin just past a gap (the newest jobs created after the bound): walking on through
        // the gap, not a pass over the whole range to find where it starts
        statements.reset();
        java.time.Instant recent = loaded.at(0.97);
        List<Long> beforeRecent = reversed(idsWhere("created_at <= :at", recent));
        assertThat(jobs.search(project, JobFilter.builder().createdBefore(recent).build(), JobOrdering.NEWEST_FIRST,
                null, 0, 21)).extracting(job -> job.id().value()).containsExactlyElementsOf(beforeRecent.subList(0, 21));
        assertThat(statements.statements()).as("statements of a page just past a gap")
                .anyMatch(sql -> sql.contains(":after_id")).noneMatch(sql -> sql.startsWith("SELECT MAX("));

        // the third job created last of all, and one created before everything: both where their ids put them
        persistence.jdbi().useHandle(handle -> {
            handle.execute("UPDATE jobs SET created_at = ? WHERE id = 3", Values.instant(loaded.at(0.95)));
            handle.execute("UPDATE jobs SET created_at = ? WHERE id = ?", Values.instant(loaded.at(0)),
                    loaded.lastJobId() - 2);
        });
        List<Long> all = idsWhere("created_at >= :at", late);
        assertThat(all.get(0)).isEqualTo(3L);
        assertThat(walk(jobs, loaded, createdAfter, oldestFirst, 50)).containsExactlyElementsOf(all);
        assertThat(walk(jobs, loaded, createdBefore, JobOrdering.NEWEST_FIRST, 50))
                .containsExactlyElementsOf(reversed(idsWhere("created_at <= :at", early)));
        assertThat(walk(jobs, loaded, createdAfter, byUpdate, 50)).containsExactlyElementsOf(lateByUpdate(late));
        // the other direction and another time column: the rows at the far end newest first, by finish time
        assertThat(walk(jobs, loaded, createdBefore, new JobOrdering(JobOrder.UPDATED_AT, false), 50))
                .containsExactlyElementsOf(ordered("created_at <= :at", early, "updated_at DESC, id DESC"));
        assertThat(walk(jobs, loaded, createdAfter, new JobOrdering(JobOrder.FINISHED_AT, true), 50))
                .containsExactlyElementsOf(ordered("created_at >= :at", late, "finished_order, id"));
        assertThat(walk(jobs, loaded, createdBefore, new JobOrdering(JobOrder.FINISHED_AT, false), 50))
                .containsExactlyElementsOf(ordered("created_at <= :at", early, "finished_order_desc DESC, id DESC"));
        assertThat(walk(jobs, loaded, testsCreatedLate, oldestFirst, 50)).containsExactlyElementsOf(
                persistence.jdbi().withHandle(handle -> handle.createQuery("SELECT id FROM jobs WHERE project_id ="
                                + " :project AND stage = 'test' AND created_at >= :at ORDER BY id")
                        .bind("project", project.value()).bind("at", Values.instant(late)).mapTo(Long.class)
                        .list()));
    }

    /**
     * Exactness of the shortcuts that start a walk where the filters' rows start: with one job in 200 given a random
     * creation and update time (so that neither follows the ids, and an update may precede a creation), every page of
     * far-end and near-end time bounds, alone and with an equality filter, in every order and direction, lists
     * exactly what the database's own ORDER BY lists.
     */
    @Test
    void timeBoundsListExactlyTheDatabasesOrderWhateverTheTimes() {
        load(8_000);
        // walks that give up after 100 entries (50 of a filter's index): most far-end pages then take the shortcuts
        // while the moved jobs lie on both sides of where they start
        JdbiJobRepository jobs = ((JdbiJobRepository) persistence.jobs()).withCaps(16, 200).withBudgets(100, 50);
        java.util.Random random = new java.util.Random(17);
        long span = java.time.Duration.between(loaded.at(0), loaded.at(1)).toSeconds();
        persistence.jdbi().useHandle(handle -> {
            for (long id = loaded.firstJobId(); id <= loaded.lastJobId(); id++) {
                if (random.nextInt(200) == 0) {
                    handle.execute("UPDATE jobs SET created_at = ?, updated_at = ? WHERE id = ?",
                            Values.instant(loaded.at(0).plusSeconds(random.nextLong(span))),
                            Values.instant(loaded.at(0).plusSeconds(random.nextLong(span))), id);
                }
            }
        });
        java.time.Instant late = loaded.at(0.9);
        java.time.Instant early = loaded.at(0.1);
        statements.reset();
        Map<JobFilter, String> filters = new java.util.LinkedHashMap<>();
        filters.put(JobFilter.builder().createdAfter(late).build(), "created_at >= :late");
        filters.put(JobFilter.builder().createdBefore(early).build(), "created_at <= :early");
        filters.put(JobFilter.builder().updatedAfter(late).build(), "updated_at >= :late");
        filters.put(JobFilter.builder().updatedBefore(early).build(), "updated_at <= :early");
        filters.put(JobFilter.builder().stage("test").createdAfter(late).build(),
                "stage = 'test' AND created_at >= :late");
        filters.put(JobFilter.builder().name("deploy").updatedBefore(early).build(),
                "name = 'deploy' AND updated_at <= :early");
        for (Map.Entry<JobFilter, String> filter : filters.entrySet()) {
            for (JobOrdering ordering : JobSearchFixture.orderings()) {
                String direction = ordering.ascending() ? " ASC" : " DESC";
                String column = switch (ordering.by()) {
                    case ID -> "id";
                    case CREATED_AT -> "created_at";
                    case UPDATED_AT -> "updated_at";
                    case FINISHED_AT -> ordering.ascending() ? "finished_order" : "finished_order_desc";
                    case DURATION -> ordering.ascending() ? "duration_order" : "duration_order_desc";
                };
                List<Long> expected = persistence.jdbi().withHandle(handle -> handle.createQuery(
                                "SELECT id FROM jobs WHERE project_id = :project AND " + filter.getValue()
                                        + " ORDER BY " + column + direction + ", id" + direction)
                        .bind("project", loaded.project().id().value()).bind("late", Values.instant(late))
                        .bind("early", Values.instant(early)).mapTo(Long.class).list());
                assertThat(walk(jobs, loaded, filter.getKey(), ordering, 100)).as("%s, %s", filter.getValue(), ordering)
                        .containsExactlyElementsOf(expected);
            }
        }
        // the shortcuts did run: where the rows start by id, and the first entry of another order past it
        assertThat(statements.statements()).anyMatch(sql -> sql.startsWith("SELECT MIN("))
                .anyMatch(sql -> sql.startsWith("SELECT MAX(")).anyMatch(sql -> sql.contains(":edge_id"));
    }

    /** The ids of the project's jobs that satisfy {@code condition} at {@code at}, in the database's own order. */
    private List<Long> ordered(String condition, java.time.Instant at, String orderBy) {
        return persistence.jdbi().withHandle(handle -> handle.createQuery("SELECT id FROM jobs WHERE project_id ="
                        + " :project AND " + condition + " ORDER BY " + orderBy)
                .bind("project", loaded.project().id().value()).bind("at", Values.instant(at))
                .mapTo(Long.class).list());
    }

    /** The ids of the project's jobs created at or after {@code at}, by update time and id. */
    private List<Long> lateByUpdate(java.time.Instant at) {
        return persistence.jdbi().withHandle(handle -> handle.createQuery("SELECT id FROM jobs WHERE project_id ="
                        + " :project AND created_at >= :at ORDER BY updated_at, id")
                .bind("project", loaded.project().id().value()).bind("at", Values.instant(at))
                .mapTo(Long.class).list());
    }

    /** The project's job ids, ascending, whose creation satisfies {@code condition} at {@code at}. */
    private List<Long> idsWhere(String condition, java.time.Instant at) {
        return persistence.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT id FROM jobs WHERE project_id = :project AND " + condition + " ORDER BY id")
                .bind("project", loaded.project().id().value()).bind("at", Values.instant(at))
                .mapTo(Long.class).list());
    }

    /** The keyset position the last statement run started after. */
    private long walkStart() {
        List<String> bindings = statements.bindings();
        Matcher matcher = Pattern.compile("after_id[^0-9]*(\\d+)").matcher(bindings.get(bindings.size() - 1));
        assertThat(matcher.find()).as("a walk from a position: %s", bindings.get(bindings.size() - 1)).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** Every page of a search, keyset position by keyset position. */
    private static List<Long> walk(JobRepository jobs, JobSearchFixture.Loaded loaded, JobFilter filter,
                                   JobOrdering ordering, int perPage) {
        List<Long> seen = new ArrayList<>();
        SortKey after = null;
        while (true) {
            List<Job> page = jobs.search(loaded.project().id(), filter, ordering, after, 0, perPage + 1);
            page.stream().limit(perPage).forEach(job -> seen.add(job.id().value()));
            if (page.size() <= perPage) {
                return seen;
            }
            Job last = page.get(perPage - 1);
            after = new SortKey(ordering.keyOf(last), last.id().value());
        }
    }

    private static List<Long> reversed(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void capsArePowersOfTwoJustPastTheFewest() {
        JdbiJobRepository jobs = new JdbiJobRepository(null, null);
        assertThat(jobs.probeCap(Long.MAX_VALUE)).isEqualTo(JdbiJobRepository.PROBE_CAP);
        assertThat(jobs.probeCap(0)).isEqualTo(32);
        assertThat(jobs.probeCap(31)).isEqualTo(32);
        assertThat(jobs.probeCap(32)).isEqualTo(64);
        assertThat(jobs.probeCap(1_023)).isEqualTo(1_024);
        assertThat(jobs.probeCap(1_024)).isEqualTo(JdbiJobRepository.PROBE_CAP);
        assertThat(jobs.probeCap(1_999)).isEqualTo(JdbiJobRepository.PROBE_CAP);
    }
}
