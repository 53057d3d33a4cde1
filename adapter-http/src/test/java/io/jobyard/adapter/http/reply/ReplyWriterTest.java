package io.jobyard.adapter.http.reply;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.application.stream.FileRegion;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
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
        reply.set(new Reply.Stream(download("sha", Optional.of(URI.create("https://s3.example/x?sig=1")), true),
                Reply.DownloadStyle.ARCHIVE, ContentDisposition.attachment("a.zip")));
        HttpResponse<byte[]> response = get("GET", null);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains("https://s3.example/x?sig=1");
        assertThat(opened).hasValue(0);
    }

    @Test
    void aFileByJobIsTypedByItsNameAndHasNoDigestWithoutASha() throws Exception {
        reply.set(new Reply.Stream(download(null, Optional.empty(), true), Reply.DownloadStyle.FILE_BY_EXTENSION,
                ContentDisposition.attachment("report.json")));
        HttpResponse<byte[]> response = get("GET", null);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Repr-Digest")).isEmpty();
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void aDownloadThatCannotBeRangedIgnoresRange() throws Exception {
        reply.set(new Reply.Stream(download(null, Optional.empty(), false),
                Reply.DownloadStyle.FILE_BY_EXTENSION, ContentDisposition.attachment("x.txt")));
        HttpResponse<byte[]> response = get("GET", "bytes=2-3");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CONTENT);
        assertThat(response.headers().firstValue("Accept-Ranges")).isEmpty();
    }

    @Test
    void headNeverOpensTheContent() throws Exception {
        reply.set(new Reply.Stream(download(null, Optional.empty(), true), Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment("a.zip")));
        HttpResponse<byte[]> response = get("HEAD", "bytes=2-3");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Length")).contains("2");
        assertThat(opened).hasValue(0);
    }

    @Test
    void aRangeIsReadFromTheStoreNotCutFromTheWhole() throws Exception {
        reply.set(new Reply.Stream(download(null, Optional.empty(), true), Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment("a.zip")));
        HttpResponse<byte[]> response = get("GET", "bytes=2-3");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 2, 4));
    }

    @Test
    void aLocalFileRegionIsSentByTheKernelWholeOrRanged(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("archive.zip"), bytes);
        reply.set(new Reply.Stream(new Download("archive.zip", bytes.length, "tag", null, Optional.empty(), true,
                range -> {
                    long length = range.lengthWithin(bytes.length);
                    return new BlobContent(new RegionOnly(file, range.offset(), length), bytes.length,
                            range.offset(), length);
                }), Reply.DownloadStyle.ARCHIVE, ContentDisposition.attachment("archive.zip")));

        HttpResponse<byte[]> whole = get("GET", null);
        HttpResponse<byte[]> middle = get("GET", "bytes=1000-1999999");

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000000));
    }

    /** A file region that cannot be read as a stream: only a zero-copy transfer can send it. */
    private static final class RegionOnly extends InputStream implements FileRegion {
        private final FileChannel channel;
        private final long position;
        private final long count;

        RegionOnly(Path file, long position, long count) throws java.io.UncheckedIOException {
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            this.position = position;
            this.count = count;
        }

        @Override
        public int read() {
            throw new AssertionError("copied through the heap instead of transferred");
        }

        @Override
        public FileChannel channel() {
            return channel;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private Download download(String sha256, Optional<URI> redirect, boolean rangeable) {
        return new Download("report.json", CONTENT.length, "tag", sha256, redirect, rangeable, range -> {
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
