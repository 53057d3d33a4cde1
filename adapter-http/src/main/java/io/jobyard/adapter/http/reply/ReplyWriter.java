package io.jobyard.adapter.http.reply;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.stream.FileRegion;
import io.undertow.io.AsyncSenderImpl;
import io.undertow.io.IoCallback;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Puts a {@link Reply} on the wire of a blocking exchange. JSON is labelled exactly {@code application/json}
 * (python-gitlab treats anything with a charset as not JSON); HEAD gets every header of the GET and no body; GET
 * answers carry a strong ETag and honour {@code If-None-Match} (304). Downloads stream from their store with a
 * {@code Content-Length}, honour a single {@code Range} (206/416) and {@code If-Range}, and carry
 * {@code Repr-Digest}/{@code Digest} when the SHA-256 is known. Nothing is written before everything that can fail
 * first (opening the stream) has succeeded, so a refusal still gets a clean error reply.
 */
public final class ReplyWriter {
    /** Compiled once: this check runs for every row read and every request. */
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    public static final String JSON = "application/json";
    private static final String REVALIDATE = "max-age=0, private, must-revalidate";
    private static final int BUFFER = 64 * 1024;
    /**
     * Each worker thread's JSON answers are written into one buffer it keeps (answers of up to 1 MiB; a larger one is
     * let go after it is sent): a list page no longer grows a new array in pieces and copies it whole.
     */
    private static final ThreadLocal<Json.Buffer> JSON_BUFFERS =
            ThreadLocal.withInitial(() -> new Json.Buffer(16 * 1024, 1024 * 1024));

    /** The worker thread inside the exchange's handler call, while it is ({@link #handling}). */
    private static final AttachmentKey<Thread> HANDLING = AttachmentKey.create(Thread.class);
    /** Set once an answer was handed to the IO thread: it is the exchange's answer, whatever happens after. */
    private static final AttachmentKey<Boolean> HANDED_OFF = AttachmentKey.create(Boolean.class);
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    /** Ends {@link #handling}. */
    public interface Handling extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks the calling worker thread as inside the exchange's handler call, until the result is closed. An answer held
     * whole in memory (JSON, bytes, an empty answer) that is written meanwhile is not sent and ended on the worker:
     * the exchange is dispatched to its IO thread, which sends it without blocking and ends it there.
     *
     * <p>Why. When a kept-alive exchange ends on a worker thread, Undertow ({@code HttpReadListener.exchangeComplete})
     * marks the connection busy, resumes its reads — which wakes its IO thread — and only then marks it free for the
     * next request; an IO thread that looks at the connection in between (the client, having its answer, has already
     * sent the next request) spins in {@code HttpReadListener.handleEvent} until the worker marks it free. On a busy
     * machine the woken IO thread takes the worker's CPU and spins for its whole time slice: flight recordings of 16
     * keep-alive clients on two cores found 46 % of the server's CPU samples in that loop, and of 50 runners 67 % of
     * one server's. An exchange ended on its IO thread frees the connection before the thread looks at it again.
     * Only inside the handler's call (Undertow then runs the dispatch once the call returns) and for an exchange whose
     * request body has been read to its end and whose connection stays open; anything else ends as before.
     */
    public static Handling handling(HttpServerExchange exchange) {
        exchange.putAttachment(HANDLING, Thread.currentThread());
        return () -> exchange.removeAttachment(HANDLING);
    }

    /** Whether an answer was handed to the exchange's IO thread ({@link #handling}), which sends it and ends it. */
    public static boolean handedOff(HttpServerExchange exchange) {
        return Boolean.TRUE.equals(exchange.getAttachment(HANDED_OFF));
    }

    public void write(HttpServerExchange exchange, Reply reply) throws IOException {
        if (reply instanceof Reply.Json json) {
            json(exchange, json.status(), json.body(), json.headers());
        } else if (reply instanceof Reply.Empty empty) {
            HeaderMap response = exchange.getResponseHeaders();
            empty.headers().forEach((name, value) -> response.put(HttpString.tryFromString(name), value));
            exchange.setStatusCode(empty.status());
            if (empty.status() != 204) {
                response.put(HttpString.tryFromString("Content-Length"), "0");
            }
            end(exchange);
        } else if (reply instanceof Reply.Stream stream) {
            stream(exchange, stream);
        } else if (reply instanceof Reply.Bytes bytes) {
            HeaderMap response = exchange.getResponseHeaders();
            bytes.headers().forEach((name, value) -> response.put(HttpString.tryFromString(name), value));
            response.put(HttpString.tryFromString("Content-Type"), bytes.contentType());
            exchange.setStatusCode(bytes.status());
            send(exchange, bytes.body());
        } else if (reply instanceof Reply.EventStream events) {
            eventStream(exchange, events.events());
        } else {
            // Deferred replies are parked by the request pipeline, which writes what they resolve to.
            throw new IllegalArgumentException("not a reply to write: " + reply);
        }
    }

    /** A JSON answer; successful GET/HEAD answers get an ETag of the body and may become 304. */
    public void json(HttpServerExchange exchange, int status, Object body, Map<String, String> headers)
            throws IOException {
        Json.Buffer buffer = JSON_BUFFERS.get();
        Json.write(body, buffer);
        HeaderMap response = exchange.getResponseHeaders();
        headers.forEach((name, value) -> response.put(HttpString.tryFromString(name), value));
        if (status == 200 && isRead(exchange)) {
            String tag = EntityTags.ofBytes(buffer.array(), buffer.size());
            response.put(HttpString.tryFromString("ETag"), tag);
            response.put(HttpString.tryFromString("Cache-Control"), REVALIDATE);
            if (EntityTags.noneMatchHits(exchange.getRequestHeaders().getFirst("If-None-Match"), tag)) {
                notModified(exchange);
                return;
            }
        }
        exchange.setStatusCode(status);
        response.put(HttpString.tryFromString("Content-Type"), JSON);
        send(exchange, buffer.array(), buffer.size());
    }

    /**
     * The headers of an event stream, then the exchange goes to its IO thread, where {@link ServerSentEvents} writes
     * without blocking; the exchange stays open when the handler returns (it is dispatched). {@code no-cache} and
     * {@code X-Accel-Buffering: no} keep caches and nginx from holding the events back.
     */
    private static void eventStream(HttpServerExchange exchange, ServerSentEvents events) {
        HeaderMap response = exchange.getResponseHeaders();
        exchange.setStatusCode(200);
        response.put(HttpString.tryFromString("Content-Type"), "text/event-stream");
        response.put(HttpString.tryFromString("Cache-Control"), "no-cache");
        response.put(HttpString.tryFromString("X-Accel-Buffering"), "no");
        if (exchange.getRequestMethod().toString().equals("HEAD")) {
            events.cutOff();
            exchange.endExchange();
            return;
        }
        exchange.dispatch(exchange.getIoThread(), () -> events.attach(exchange));
    }

    private void stream(HttpServerExchange exchange, Reply.Stream reply) throws IOException {
        Download download = reply.download();
        HeaderMap response = exchange.getResponseHeaders();
        if (download.source() != null) {
            response.put(HttpString.tryFromString(SourceHeaders.JOB), Long.toString(download.source().job().value()));
            response.put(HttpString.tryFromString(SourceHeaders.PIPELINE),
                    Long.toString(download.source().pipeline().value()));
        }
        if (download.redirect().isPresent()) {
            exchange.setStatusCode(302);
            response.put(HttpString.tryFromString("Location"), download.redirect().get().toString());
            response.put(HttpString.tryFromString("Content-Length"), "0");
            exchange.endExchange();
            return;
        }
        String tag = EntityTags.strong(download.etag());
        HeaderMap request = exchange.getRequestHeaders();
        if (EntityTags.noneMatchHits(request.getFirst("If-None-Match"), tag)) {
            response.put(HttpString.tryFromString("ETag"), tag);
            notModified(exchange);
            return;
        }
        RangeRequest range = download.rangeable() && EntityTags.ifRangeHolds(request.getFirst("If-Range"), tag)
                ? RangeRequest.parse(request.getFirst("Range"), download.size())
                : new RangeRequest.Whole();
        if (range instanceof RangeRequest.Unsatisfiable unsatisfiable) {
            response.put(HttpString.tryFromString("Content-Range"), unsatisfiable.contentRange());
            exchange.setStatusCode(416);
            response.put(HttpString.tryFromString("Content-Type"), JSON);
            send(exchange, Json.write(Map.of("error", "416 Range Not Satisfiable")));
            return;
        }
        String contentType = contentType(reply);
        ByteRange wanted = range instanceof RangeRequest.Part part
                ? new ByteRange(part.offset(), part.length()) : ByteRange.ALL;
        long length = range instanceof RangeRequest.Part part ? part.length() : download.size();
        BlobContent content = exchange.getRequestMethod().toString().equals("HEAD") ? null : download.open(wanted);
        try {
            if (content != null) {
                length = content.length();
            }
            response.put(HttpString.tryFromString("Content-Type"), contentType);
            response.put(HttpString.tryFromString("Content-Disposition"), reply.contentDisposition());
            if (reply.style() == Reply.DownloadStyle.ARCHIVE) {
                response.put(HttpString.tryFromString("Content-Transfer-Encoding"), "binary");
            }
            if (download.rangeable()) {
                response.put(HttpString.tryFromString("Accept-Ranges"), "bytes");
            }
            response.put(HttpString.tryFromString("ETag"), tag);
            response.put(HttpString.tryFromString("Cache-Control"), REVALIDATE);
            digest(download.sha256(), response);
            if (range instanceof RangeRequest.Part part) {
                exchange.setStatusCode(206);
                response.put(HttpString.tryFromString("Content-Range"), part.contentRange());
            } else {
                exchange.setStatusCode(200);
            }
            response.put(HttpString.tryFromString("Content-Length"), Long.toString(length));
            if (content == null) {
                exchange.endExchange();
                return;
            }
            if (content.stream() instanceof FileRegion region && region.count() == length) {
                sendFile(exchange, region);
            } else {
                copy(content.stream(), exchange.getOutputStream(), length);
            }
            exchange.endExchange();
        } finally {
            if (content != null) {
                content.close();
            }
        }
    }

    /**
     * The media type each kind of download gets, the one place that decides it (contract §3.4, §3.10, §3.12, §3.13):
     * GitLab's {@code text/plain} log and octet-stream archives; a single file by job by its extension, as Workhorse's
     * {@code artifacts-entry} sends it ({@code workhorse/internal/artifacts/entry.go}, {@code detectFileContentType}:
     * {@code mime.TypeByExtension}, else octet-stream); a single file by ref by its first bytes, because that route
     * also sends {@code Gitlab-Workhorse-Detect-Content-Type} ({@code workhorse/internal/headers/content_headers.go},
     * {@code SafeContentHeaders}).
     */
    private static String contentType(Reply.Stream reply) {
        Download download = reply.download();
        return switch (reply.style()) {
            case TRACE -> "text/plain";
            case RAW_LOG -> "text/plain; charset=utf-8";
            case ARCHIVE -> MediaTypes.OCTET_STREAM;
            case FILE_BY_EXTENSION -> MediaTypes.byFilename(download.filename());
            case FILE_SNIFFED -> sniff(download);
        };
    }

    private static String sniff(Download download) {
        if (download.size() == 0) {
            return ContentSniffer.safeContentType(new byte[0]);
        }
        try (BlobContent head = download.open(new ByteRange(0, ContentSniffer.SNIFF_LENGTH))) {
            return ContentSniffer.safeContentType(head.stream().readNBytes(ContentSniffer.SNIFF_LENGTH));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** RFC 9530 {@code Repr-Digest} and the older RFC 3230 {@code Digest}, from the stored hex SHA-256. */
    private static void digest(String sha256Hex, HeaderMap response) {
        if (sha256Hex == null || !SHA256_HEX.matcher(sha256Hex).matches()) {
            return;
        }
        String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex.toLowerCase()));
        response.put(HttpString.tryFromString("Repr-Digest"), "sha-256=:" + base64 + ":");
        response.put(HttpString.tryFromString("Digest"), "SHA-256=" + base64);
    }

    private static void notModified(HttpServerExchange exchange) {
        exchange.setStatusCode(304);
        end(exchange);
    }

    private static void send(HttpServerExchange exchange, byte[] bytes) throws IOException {
        send(exchange, bytes, bytes.length);
    }

    /**
     * The first {@code length} bytes of {@code bytes}; the blocking stream has taken them (or, ending on the IO thread,
     * a copy was) when this returns.
     */
    private static void send(HttpServerExchange exchange, byte[] bytes, int length) throws IOException {
        exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Length"), Integer.toString(length));
        boolean head = exchange.getRequestMethod().toString().equals("HEAD");
        if (endsOnIoThread(exchange)) {
            // A copy: the bytes may be the worker's own buffer, which its next answer reuses.
            endOnIoThread(exchange, head ? NO_BYTES : ByteBuffer.wrap(Arrays.copyOf(bytes, length)));
            return;
        }
        if (!head) {
            OutputStream out = exchange.getOutputStream();
            out.write(bytes, 0, length);
            out.flush();
        }
        exchange.endExchange();
    }

    /** Ends an answer without a body (its headers are set), on the IO thread when {@link #handling} allows. */
    private static void end(HttpServerExchange exchange) {
        if (endsOnIoThread(exchange)) {
            endOnIoThread(exchange, NO_BYTES);
        } else {
            exchange.endExchange();
        }
    }

    private static boolean endsOnIoThread(HttpServerExchange exchange) {
        return exchange.getAttachment(HANDLING) == Thread.currentThread() && !exchange.isInIoThread()
                && exchange.isPersistent() && exchange.isRequestComplete() && !exchange.isResponseStarted();
    }

    private static void endOnIoThread(HttpServerExchange exchange, ByteBuffer body) {
        exchange.removeAttachment(HANDLING);
        exchange.putAttachment(HANDED_OFF, Boolean.TRUE);
        exchange.dispatch(exchange.getIoThread(), () -> new AsyncSenderImpl(exchange).send(body.duplicate(),
                IoCallback.END_EXCHANGE));
    }

    /**
     * A region of a local file goes from the page cache to the socket without passing through the heap
     * ({@code FileChannel.transferTo}, {@code sendfile} on Linux); the worker thread blocks until it is sent.
     */
    private static void sendFile(HttpServerExchange exchange, FileRegion region) throws IOException {
        StreamSinkChannel sink = exchange.getResponseChannel();
        // Undertow's response conduit reads the first bytes (sent with the headers) from the channel's own position,
        // not from the position it is given; both must point at the region.
        region.channel().position(region.position());
        Channels.transferBlocking(sink, region.channel(), region.position(), region.count());
        Channels.shutdownWritesBlocking(sink);
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        // No larger than the content: a small artifact file was answered with a 64 KiB array each time.
        byte[] buffer = new byte[(int) Math.max(0, Math.min(BUFFER, length))];
        long remaining = length;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new IOException("stream ended " + remaining + " bytes early");
            }
            out.write(buffer, 0, read);
            remaining -= read;
        }
        out.flush();
    }

    private static boolean isRead(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        return method.equals("GET") || method.equals("HEAD");
    }
}
