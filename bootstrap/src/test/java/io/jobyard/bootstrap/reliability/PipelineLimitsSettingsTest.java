package io.jobyard.bootstrap.reliability;

import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline limits through the standalone server's settings: the defaults take a configuration larger than the
 * 1 MiB every other body is held to (GitLab takes 2 MiB), and {@code JOBYARD_MAX_PIPELINE_JOBS},
 * {@code JOBYARD_MAX_CI_CONFIG_SIZE} and {@code JOBYARD_MAX_CI_CONFIG_DEPTH} each bite on pipeline creation and on
 * {@code PUT ci_config}, with GitLab's messages.
 */
class PipelineLimitsSettingsTest {
    private static final String ADMIN_TOKEN = "limits-admin-token-0123456789";

    @TempDir
    Path dataDir;

    @Test
    void theDefaultsTakeAConfigurationOfOneAndAHalfMebibytes() throws Exception {
        try (Standalone server = start(Map.of())) {
            Api api = api(server);
            long project = api.createProject("acme", "large");
            String config = "build: {script: [\"" + "x".repeat(3 << 19) + "\"]}\n";
            Api.Reply created = api.admin("POST", "/projects/" + project + "/pipeline", form(config));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            Api.Reply stored = api.admin("PUT", "/projects/" + project + "/ci_config", "content="
                    + Api.encode(config));
            assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
            assertThat(api.admin("POST", "/projects/" + project + "/pipeline",
                    form("build: {script: [\"" + "x".repeat(3 << 20) + "\"]}\n")).json())
                    .isEqualTo(base("The provided YAML is too big"));
        }
    }

    @Test
    void eachSettingBitesOnCreationAndOnTheStoredConfiguration() throws Exception {
        try (Standalone server = start(Map.of("JOBYARD_MAX_PIPELINE_JOBS", "3", "JOBYARD_MAX_CI_CONFIG_SIZE",
                "10k", "JOBYARD_MAX_CI_CONFIG_DEPTH", "4"))) {
            Api api = api(server);
            long project = api.createProject("acme", "limited");
            String four = "a: {script: [x]}\nb: {script: [x]}\nc: {script: [x]}\nd: {script: [x]}\n";
            String tooMany = "Pipeline has too many jobs! Requested 4, but the limit is 3.";
            assertThat(api.admin("POST", "/projects/" + project + "/pipeline", form(four)).json())
                    .isEqualTo(base(tooMany));
            assertThat(api.admin("PUT", "/projects/" + project + "/ci_config", "content=" + Api.encode(four))
                    .json()).isEqualTo(base(tooMany));

            String large = "a: {script: [x]}\n# " + "x".repeat(10 << 10);
            assertThat(api.admin("POST", "/projects/" + project + "/pipeline", form(large)).json())
                    .isEqualTo(base("The provided YAML is too big"));
            String deep = "a: {script: [x], variables: {V: {value: [[x]]}}}\n";
            assertThat(api.admin("PUT", "/projects/" + project + "/ci_config", "content=" + Api.encode(deep))
                    .json()).isEqualTo(base("The parsed YAML is too big"));

            assertThat(api.admin("POST", "/projects/" + project + "/pipeline",
                    form("a: {script: [x]}\nb: {script: [x]}\nc: {script: [x]}\n")).status()).isEqualTo(201);
            assertThat(api.adminExpect("GET", "/projects/" + project + "/pipelines", null, 200)).hasSize(1);
        }
    }

    private Standalone start(Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN,
                "JOBYARD_LOG_LEVEL", "WARN"));
        settings.putAll(more);
        return Standalone.start(Configuration.from(settings));
    }

    private static Api api(Standalone server) {
        return new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
    }

    private static String form(String config) {
        return "ref=main&sha=" + "c".repeat(40) + "&ci_config=" + Api.encode(config);
    }

    private static com.fasterxml.jackson.databind.JsonNode base(String error) {
        return Api.JSON.valueToTree(Map.of("message", Map.of("base", List.of(error))));
    }
}
