package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.bootstrap.Configuration;
import io.jobyard.bootstrap.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, section 6: a job token split across two log appends (PATCH /jobs/:id/trace) is readable neither in the live
 * log nor in the archived one, wherever the runner cut it — through HTTP on the standalone server's filesystem logs.
 * Of the token only what the runner stored of its public {@code glcbt-} prefix before a cut may remain. Before, the
 * part stored by the first append stayed: cut one character before its end, a token was 64 guesses from whole.
 */
class JobTokenSplitAcrossAppendsTest {
    private static final String ADMIN_TOKEN = "split-token-admin-token-0123456789";
    private static final String BEFORE = "$ curl -H 'JOB-TOKEN: ";
    private static final String AFTER = "' https://example.com/api\n";

    @TempDir
    Path dataDir;

    @Test
    void aJobTokenCutAtAnyPositionIsReadableNeitherLiveNorArchived() throws Exception {
        try (QuietLogs quiet = new QuietLogs();
             Standalone server = Standalone.start(Configuration.from(Map.of("JOBYARD_PORT", "0", "JOBYARD_BIND",
                     "127.0.0.1", "JOBYARD_DATA_DIR", dataDir.toString(), "JOBYARD_ADMIN_TOKEN", ADMIN_TOKEN)))) {
            Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
            long project = api.createProject("acme", "split");
            String runner = api.createRunner();
            int cuts = BEFORE.length() + 40;
            for (int cut = 0; cut <= cuts; cut++) {
                api.createPipeline(project, "build: {script: [make]}", cut + 1);
                JsonNode job = api.requestJob(runner).json();
                long id = job.get("id").asLong();
                String token = job.get("token").asText();
                assertThat(token).startsWith("glcbt-");
                byte[] line = (BEFORE + token + AFTER).getBytes(StandardCharsets.UTF_8);
                int at = Math.min(cut, line.length);
                byte[] first = java.util.Arrays.copyOfRange(line, 0, at);
                byte[] second = java.util.Arrays.copyOfRange(line, at, line.length);
                if (first.length > 0) {
                    assertThat(api.appendTrace(id, token, 0, first).status()).isEqualTo(202);
                }
                assertThat(api.appendTrace(id, token, first.length, second).status()).isEqualTo(202);

                String live = trace(api, project, id);
                assertSecretPartMasked(live, token, "live, cut at " + cut);
                assertThat(api.updateJob(id, token, "success").status()).isEqualTo(200);
                String archived = trace(api, project, id);
                assertThat(archived).as("archived, cut at " + cut).isEqualTo(live);
            }
        }
    }

    private static String trace(Api api, long project, long job) throws Exception {
        Api.Reply reply = api.admin("GET", "/projects/" + project + "/jobs/" + job + "/trace", null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.text();
    }

    private static void assertSecretPartMasked(String log, String token, String what) {
        assertThat(log).as(what).hasSize(BEFORE.length() + token.length() + AFTER.length())
                .startsWith(BEFORE).endsWith(AFTER);
        String region = log.substring(BEFORE.length(), BEFORE.length() + token.length());
        assertThat(region).as(what).matches("g?l?c?b?t?-?x+");
        assertThat(region.substring(6)).as(what + ": the secret part").matches("x+");
    }
}
