package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import io.jobyard.bootstrap.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, section 6: pipeline and job variables — the request's {@code variables[]}, the configuration's, and the
 * {@code job_variables_attributes} a manual job is played with — are stored sealed with AES-GCM under the key in the
 * data directory (generated owner-only at the first start), never as plaintext; the API shows them as before; a start
 * with another key is refused with a message naming both keys, and the right key opens them again.
 */
class VariablesAtRestTest {
    private static final String ADMIN_TOKEN = "at-rest-admin-token-0123456789";
    private static final String CONFIG = "variables: {CONFIG_SECRET: config-secret-value}\n"
            + "deploy: {script: [ship], when: manual}\n";

    @TempDir
    Path dataDir;

    private Standalone start(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND", "127.0.0.1",
                "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN, "JOBYARD_LOG_LEVEL",
                "WARN"));
        settings.putAll(more);
        return Standalone.start(Configuration.from(settings));
    }

    @Test
    void variablesAreSealedAtRestAndAnotherKeyIsRefusedClearly() throws Exception {
        long project;
        long pipeline;
        try (Standalone server = start(Map.of())) {
            Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
            project = api.createProject("acme", "secrets");
            JsonNode created = api.adminExpect("POST", "/projects/" + project + "/pipeline", "ref=main&sha="
                    + "d".repeat(40) + "&variables[][key]=PIPELINE_SECRET&variables[][value]=pipeline-secret-value"
                    + "&ci_config=" + Api.encode(CONFIG), 201);
            pipeline = created.get("id").asLong();
            long job = api.adminExpect("GET", "/projects/" + project + "/pipelines/" + pipeline + "/jobs", null, 200)
                    .get(0).get("id").asLong();
            api.adminExpect("POST", "/projects/" + project + "/jobs/" + job + "/play",
                    "job_variables_attributes[][key]=PLAYED_SECRET&job_variables_attributes[][value]=played-secret-value",
                    200);
        }
        Path keyFile = dataDir.resolve("encryption.key");
        assertThat(Files.getPosixFilePermissions(keyFile)).hasSize(2);

        List<String> stored = storedVariables();
        assertThat(stored).isNotEmpty().allSatisfy(column -> assertThat(column)
                .doesNotContain("secret-value").doesNotContain("SECRET"));
        assertThat(stored).anyMatch(column -> column.startsWith("jy1:"));

        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> start(Map.of("JOBYARD_ENCRYPTION_KEY", otherKey)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("the stored pipeline and job variables are encrypted under the key")
                .hasMessageContaining("but the configured key is");

        try (Standalone server = start(Map.of("JOBYARD_ENCRYPTION_KEY", Files.readString(keyFile).strip()))) {
            Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
            JsonNode variables = api.adminExpect("GET", "/projects/" + project + "/pipelines/" + pipeline
                    + "/variables", null, 200);
            assertThat(variables.get(0).get("value").asText()).isEqualTo("pipeline-secret-value");
        }
    }

    /** Every variables column, read with plain JDBC from the H2 file the stopped server left. */
    private List<String> storedVariables() throws Exception {
        List<String> columns = new ArrayList<>();
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db/jobyard");
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT variables FROM pipelines UNION ALL SELECT variables FROM jobs")) {
            while (rows.next()) {
                String value = rows.getString(1);
                if (!value.equals("[]")) {
                    columns.add(value);
                }
            }
        }
        return columns;
    }
}
