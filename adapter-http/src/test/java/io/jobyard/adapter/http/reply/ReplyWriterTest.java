package io.jobyard.adapter.http.reply;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.out.BlobContent;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Download replies on the wire, for the cases the services over in-memory stores do not produce. */
class ReplyWriterTest {
    private static final byte[] CONTENT = "0123456789".getBytes(StandardCharsets.US_ASCII);

    private final AtomicReference<Reply> reply = new AtomicReference<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Undertow server = start(exchange -> {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::serve);
        }
    });

    private void serve(io.undertow.server.HttpServerExchange exchange) throws Exception {
        exchange.startBlocking();
        new ReplyWriter().write(exchange, reply.get());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aRedirectingDownloadIsA302ToItsUrl() throws Exception {
        reply.set(new Reply.Stream(download(null, "sha", Optional.of(URI.create("https://s3.example/x?sig=1")), true),
                Reply.DownloadStyle.ARCHIVE, ContentDisposition.attachment("a.zip")));
        HttpResponse<byte[]> response = get("GET", null);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains("https://s3.example/x?sig=1");
        assertThat(opened).hasValue(0);
    }

    @Test
    void withoutAKnownTypeAFileIsTypedByItsNameAndHasNoDigestWithoutASha() throws Exception {
        reply.set(new Reply.Stream(download(null, null, Optional.empty(), true), Reply.DownloadStyle.FILE_BY_EXTENSION,
                ContentDisposition.attachment("report.json")));
        HttpResponse<byte[]> response = get("GET", null);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Repr-Digest")).isEmpty();
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void aDownloadThatCannotBeRangedIgnoresRange() throws Exception {
        reply.set(new Reply.Stream(download("text/plain", null, Optional.empty(), false),
                Reply.DownloadStyle.FILE_BY_EXTENSION, ContentDisposition.attachment("x.txt")));
        HttpResponse<byte[]> response = get("GET", "bytes=2-3");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CONTENT);
        assertThat(response.headers().firstValue("Accept-Ranges")).isEmpty();
    }

    @Test
    void headNeverOpensTheContent() throws Exception {
        reply.set(new Reply.Stream(download(null, null, Optional.empty(), true), Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment("a.zip")));
        HttpResponse<byte[]> response = get("HEAD", "bytes=2-3");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Length")).contains("2");
        assertThat(opened).hasValue(0);
    }

    @Test
    void aRangeIsReadFromTheStoreNotCutFromTheWhole() throws Exception {
        reply.set(new Reply.Stream(download(null, null, Optional.empty(), true), Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment("a.zip")));
        HttpResponse<byte[]> response = get("GET", "bytes=2-3");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 2, 4));
    }

    private Download download(String contentType, String sha256, Optional<URI> redirect, boolean rangeable) {
        return new Download("report.json", contentType, CONTENT.length, "tag", sha256, redirect, rangeable, range -> {
            opened.incrementAndGet();
            long length = range.lengthWithin(CONTENT.length);
            return new BlobContent(new ByteArrayInputStream(CONTENT, (int) range.offset(), (int) length),
                    CONTENT.length, range.offset(), length);
        });
    }

    private HttpResponse<byte[]> get(String method, String range) throws Exception {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (range != null) {
            request.header("Range", range);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Undertow start(HttpHandler handler) {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        return server;
    }
}
