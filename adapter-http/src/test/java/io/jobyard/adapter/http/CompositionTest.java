package io.jobyard.adapter.http;

import io.jobyard.adapter.http.ApiWorld.Response;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a host embeds the API: mounted under a prefix of its own choosing, on a server that decodes URLs (Undertow's
 * default), next to its own routes, and with a fallback for paths the API does not know — which runs on a worker
 * thread.
 */
class CompositionTest {
    @Test
    void mountedUnderAnyPrefixOnADecodingServerWithAFallback() {
        try (ApiWorld world = new ApiWorld()) {
            AtomicReference<Boolean> fallbackOnIoThread = new AtomicReference<>();
            HttpHandler fallback = exchange -> {
                fallbackOnIoThread.set(exchange.isInIoThread());
                exchange.setStatusCode(418);
                exchange.getResponseSender().send("teapot");
            };
            HttpHandler health = exchange -> exchange.getResponseSender().send("ok");
            PathHandler root = Handlers.path().addExactPath("/-/health", health);
            Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(root).build();
            server.start();
            try {
                int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
                JobsApi api = world.api(HttpSettings.of(URI.create("https://ci.example.com/gitlab")));
                root.addPrefixPath("/gitlab", api.handler(fallback));

                String build = "/gitlab/api/v4/projects/acme%2Fapp/jobs/" + world.privateProject.build().id();
                Response job = RawHttp.send(port, "GET", build, Map.of("PRIVATE-TOKEN", "pat-dev"), null);
                assertThat(job.status()).isEqualTo(200);
                assertThat(job.json().get("web_url").asText()).startsWith("https://ci.example.com/gitlab/acme/app/-/jobs/");

                Response list = RawHttp.send(port, "GET", "/gitlab/api/v4/projects/acme%2Fapp/jobs?per_page=1",
                        Map.of("PRIVATE-TOKEN", "pat-dev"), null);
                assertThat(list.header("link")).contains("<https://ci.example.com/gitlab/api/v4/projects/acme%2Fapp/jobs?");

                Response other = RawHttp.send(port, "GET", "/gitlab/api/v4/version", Map.of(), null);
                assertThat(other.status()).isEqualTo(418);
                assertThat(fallbackOnIoThread.get()).isFalse();

                assertThat(RawHttp.send(port, "GET", "/-/health", Map.of(), null).text()).isEqualTo("ok");
            } finally {
                server.stop();
            }
        }
    }
}
