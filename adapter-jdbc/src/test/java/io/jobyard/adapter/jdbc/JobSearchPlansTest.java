package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.SortKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query plans of the job search: for every filter of {@link JobSearchFixture#cases} (each alone, and the common
 * pairs) in every order and direction, first page and a keyset page 90 % deep, every statement the repository may run
 * for the page (the very texts and values, {@link JdbiJobRepository#pageStatements}: a filter's rows, or the bounded
 * walk of the order's index with its boundary and what may follow it) is explained, and no plan may read the
 * {@code jobs} table sequentially.
 *
 * <p>The planners decide on statistics, so the tables hold enough rows for a sequential scan to be a real option:
 * 40,000 jobs of the fixture's shape (plus 2,000 in another project), analyzed as autovacuum would have them. With
 * that many rows a scan of the whole table costs PostgreSQL more than an index range that stops at the page's end, and
 * it chooses the scan when no index serves the filter and order. Sequential scans are not switched off
 * ({@code enable_seqscan} stays on), so the test fails for a filter or order that lacks its index. The repository's
 * own thresholds (how many rows a filter may have to be read and sorted rather than walked) are scaled to the same
 * share of this table as of a million jobs. An unfiltered list must not be sorted at all on PostgreSQL.
 *
 * <p>On H2 the repository chooses the index itself ({@code USE INDEX}, after probing how many rows each filter's index
 * holds), so a smaller table (10,000 jobs) shows its plans on both sides of the thresholds. H2 must never fall back to
 * a table scan either, and wherever the repository walks an index in the list's order, H2's plan must say it reads the
 * index sorted (an ORDER BY not spelled as the index is would sort every row of the project).
 */
class JobSearchPlansTest {
    private static final int JOBS = 40_000;
    /** H2's plans are the repository's choice ({@code USE INDEX}), not statistics': fewer rows show them. */
    private static final int H2_JOBS = 10_000;

    @TempDir
    Path directory;

    @Test
    void postgresNeverScansTheJobsTable() throws Exception {
        try (HikariDataSource pool = TestStores.newPostgresDatabase(2)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
            long start = System.nanoTime();
            JobSearchFixture.Loaded loaded = JobSearchFixture.load(persistence, JOBS, jobs -> { });
            System.out.printf("PostgreSQL: %,d jobs loaded in %.1f s%n", JOBS, (System.nanoTime() - start) / 1e9);
            persistence.jdbi().useHandle(handle -> {
                handle.execute("VACUUM ANALYZE jobs");
                handle.execute("VACUUM ANALYZE job_tags");
                handle.execute("VACUUM ANALYZE job_artifacts");
                handle.execute("VACUUM ANALYZE pipelines");
            });
            List<String> scans = scans(persistence, loaded, (search, statement, plan) ->
                    plan.contains("seq scan on jobs")
                            // with no filter every order is one walk of its index: nothing to sort
                            || search.filter().equals(JobFilter.ALL) && plan.contains("sort"));
            assertThat(scans).as("plans with a sequential scan of jobs, or sorting an unfiltered list").isEmpty();
        }
    }

    @Test
    void h2NeverScansTheJobsTable() throws Exception {
        try (HikariDataSource pool = TestStores.h2DataSource(directory)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool);
            long start = System.nanoTime();
            JobSearchFixture.Loaded loaded = JobSearchFixture.load(persistence, H2_JOBS, jobs -> { });
            System.out.printf("H2: %,d jobs loaded in %.1f s%n", H2_JOBS, (System.nanoTime() - start) / 1e9);
            persistence.jdbi().useHandle(handle -> handle.execute("ANALYZE"));
            List<String> scans = scans(persistence, loaded, (search, statement, plan) ->
                    plan.contains("public.jobs.tablescan")
                            // where the repository walks an index in the list's order, H2 must not sort
                            || statement.walksInOrder() && !plan.contains("index sorted"));
            assertThat(scans).as("plans with a scan of the whole jobs table, or a sort where an index is walked")
                    .isEmpty();
        }
    }

    /** What makes a plan wrong: {@code plan} is in lower case. */
    private interface Wrong {
        boolean test(JobSearchFixture.Case search, JdbiJobRepository.Statement statement, String plan);
    }

    /** The labels of the plans {@code wrong} finds fault with, each with its plan. */
    private static List<String> scans(JdbcPersistence persistence, JobSearchFixture.Loaded loaded, Wrong scan) {
        // the thresholds as the same share of this table as of a million jobs
        int jobCount = (int) (loaded.lastJobId() - loaded.firstJobId() + 1);
        JdbiJobRepository jobs = ((JdbiJobRepository) persistence.jobs()).withCaps(
                Math.max(20, JdbiJobRepository.PROBE_CAP * jobCount / 1_000_000),
                Math.max(50, JdbiJobRepository.FALLBACK_CAP * jobCount / 1_000_000));
        List<String> found = new ArrayList<>();
        int explained = 0;
        for (JobSearchFixture.Case search : JobSearchFixture.cases(loaded)) {
            for (JobOrdering ordering : JobSearchFixture.orderings()) {
                explained += explain(persistence, jobs, loaded, search, ordering, null, scan, found);
                explained += explain(persistence, jobs, loaded, search, ordering,
                        JobSearchFixture.syntheticPosition(loaded, ordering, 0.9), scan, found);
            }
        }
        assertThat(explained).as("plans read").isGreaterThan(700);
        System.out.printf("%d plans read%n", explained);
        return found;
    }

    private static int explain(JdbcPersistence persistence, JdbiJobRepository jobs, JobSearchFixture.Loaded loaded,
                               JobSearchFixture.Case search, JobOrdering ordering, SortKey after, Wrong scan,
                               List<String> found) {
        List<JdbiJobRepository.Statement> statements = jobs.pageStatements(loaded.project().id(),
                search.filter(), ordering, after, 0, 101);
        for (JdbiJobRepository.Statement statement : statements) {
            String plan = persistence.jdbi().withHandle(handle -> {
                StringBuilder text = new StringBuilder();
                handle.createQuery("EXPLAIN " + statement.sql()).bindMap(statement.binds())
                        .map((rs, ctx) -> rs.getString(1)).forEach(line -> text.append(line).append('\n'));
                return text.toString();
            });
            if (scan.test(search, statement, plan.toLowerCase(Locale.ROOT))) {
                found.add(search.label() + " " + ordering + (after == null ? " first page" : " deep page") + ":\n"
                        + statement.sql() + "\n" + plan);
            }
        }
        return statements.size();
    }
}
