package io.jobyard.examples.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What this example's README shows, request for request. */
class ExampleHostTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private HttpResponse<String> get(URI uri, String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header(header, value).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHostsKeysWorkOnItsOwnRouteAndOnGitLabsApiUnderCi() throws Exception {
        HostAccounts accounts = new HostAccounts(Map.of("alice-key", "alice"));
        try (ExampleHost host = ExampleHost.start(0, data, accounts)) {
            readmeRequests(host.uri());
        }
        try (ExampleHost restarted = ExampleHost.start(0, data, accounts)) {
            readmeRequests(restarted.uri());
        }
    }

    private void readmeRequests(URI host) throws Exception {
        HttpResponse<String> whoami = get(host.resolve("/whoami"), "Authorization", "Bearer alice-key");
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).isEqualTo("alice\n");

        assertThat(get(host.resolve("/whoami"), "Authorization", "Bearer nobody").statusCode()).isEqualTo(401);

        HttpResponse<String> user = get(host.resolve("/ci/api/v4/user"), "PRIVATE-TOKEN", "alice-key");
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.body()).contains("\"username\":\"alice\"");

        HttpResponse<String> stranger = get(host.resolve("/ci/api/v4/user"), "PRIVATE-TOKEN", "nobody");
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).contains("401 Unauthorized");
    }
}
