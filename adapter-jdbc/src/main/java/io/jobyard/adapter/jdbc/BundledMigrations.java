package io.jobyard.adapter.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * The migrations this build carries, and a check, made with one query and without loading Flyway, that a database
 * already holds exactly these. Flyway's start-up (plugin discovery, classpath scan, validation) is most of a
 * standalone restart; when the schema history matches version, script and Flyway's own checksum for every bundled
 * migration, Flyway would have nothing to do, so it is not started. Anything else (no history table, a failed or
 * unknown entry, an edited script, a pending migration) leaves the decision to Flyway.
 */
final class BundledMigrations {
    static final String LOCATION = "db/migration";

    /** Every versioned script under {@link #LOCATION}, in order; a test keeps this list equal to the folder. */
    static final List<String> SCRIPTS = List.of(
            "V1__projects_users_runners.sql",
            "V2__pipelines_jobs.sql",
            "V3__artifacts.sql",
            "V4__traces.sql",
            "V5__ci_configs.sql",
            "V7__artifact_storage_keys.sql",
            "V10__token_lifecycle.sql",
            "V20__encryption_keys.sql",
            "V30__project_and_pipeline_git_facts.sql",
            "V40__job_search.sql",
            "V42__archive_entry_attributes.sql",
            "V60__events_and_hooks.sql",
            "V70__user_passwords.sql",
            "V71__web_sessions.sql",
            "V100__job_search_unfinished.sql",
            "V110__access_version.sql",
            "V120__trace_archive_queue.sql",
            "V130__job_artifacts_by_job.sql");

    /** The Java migrations, which Flyway is handed as instances ({@link #javaMigrations}). */
    static final List<JavaMigrationEntry> JAVA = List.of(
            new JavaMigrationEntry("41", V41__Job_tags.class.getName(), V41__Job_tags.CHECKSUM),
            new JavaMigrationEntry("140", V140__Live_log_chunks_uncompressed.class.getName(),
                    V140__Live_log_chunks_uncompressed.CHECKSUM));

    /** A Java migration as Flyway records it: the class name as its script, the checksum it reports. */
    record JavaMigrationEntry(String version, String script, int checksum) {
    }

    static org.flywaydb.core.api.migration.JavaMigration[] javaMigrations() {
        return new org.flywaydb.core.api.migration.JavaMigration[] {new V41__Job_tags(),
            new V140__Live_log_chunks_uncompressed()};
    }

    /** Rows Flyway writes to note that it created the history table or a schema; not migrations. */
    private static final Set<String> MARKER_TYPES = Set.of("TABLE", "SCHEMA");

    private BundledMigrations() {
    }

    record Applied(String version, String script, Integer checksum, boolean success) {
    }

    static boolean alreadyApplied(DataSource dataSource) {
        List<Applied> applied;
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\", \"script\", \"checksum\", \"success\", \"type\""
                     + " FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"")) {
            applied = new ArrayList<>();
            while (rows.next()) {
                if (MARKER_TYPES.contains(rows.getString(5))) {
                    continue;
                }
                int checksum = rows.getInt(3);
                applied.add(new Applied(rows.getString(1), rows.getString(2), rows.wasNull() ? null : checksum,
                        rows.getBoolean(4)));
            }
        } catch (SQLException noHistoryYet) {
            return false;
        }
        return matches(applied);
    }

    static boolean matches(List<Applied> applied) {
        List<Applied> expected = expected();
        if (applied.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            Applied want = expected.get(i);
            Applied entry = applied.get(i);
            if (!entry.success() || !want.script().equals(entry.script())
                    || !want.version().equals(entry.version())
                    || !Objects.equals(entry.checksum(), want.checksum())) {
                return false;
            }
        }
        return true;
    }

    /** Every bundled migration as a successful history entry, in version order. */
    static List<Applied> expected() {
        List<Applied> all = new ArrayList<>();
        SCRIPTS.forEach(script -> all.add(new Applied(versionOf(script), script, checksumOf(script), true)));
        JAVA.forEach(java -> all.add(new Applied(java.version(), java.script(), java.checksum(), true)));
        all.sort(java.util.Comparator.comparingInt(entry -> Integer.parseInt(entry.version())));
        return all;
    }

    static String versionOf(String script) {
        return script.substring(1, script.indexOf("__"));
    }

    /** Flyway's checksum of an SQL migration: CRC-32 of the UTF-8 bytes of each line, without line ends or BOM. */
    static int checksumOf(String script) {
        String resource = LOCATION + "/" + script;
        InputStream in = BundledMigrations.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("migration " + resource + " is missing from the build");
        }
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = lines.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }
}
