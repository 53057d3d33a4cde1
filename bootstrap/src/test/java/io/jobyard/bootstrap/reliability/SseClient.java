package io.jobyard.bootstrap.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A server-sent-events client over a plain socket, as strict as the HTML standard's parser: lines end at CRLF, LF or
 * a lone CR, an event is dispatched at a blank line, {@code :} lines are comments. It reads on a thread of its own
 * (or not at all: {@code read=false} makes a client that never takes what it is sent, with a small receive buffer).
 * Chunked and close-delimited bodies are both understood.
 */
final class SseClient implements AutoCloseable {
    record Event(String event, String id, String data) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Socket socket;
    private final InputStream in;
    final int status;
    final Map<String, String> headers;
    /** The body of a refusal (not 200). */
    final byte[] errorBody;
    /** The server ended the stream (end of body or connection). */
    volatile boolean ended;
    private Thread reader;

    private SseClient(Socket socket, InputStream in, int status, Map<String, String> headers, byte[] errorBody) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.errorBody = errorBody;
    }

    /** Opens {@code path} (from the server's root) with {@code Accept: text/event-stream} and the given headers. */
    static SseClient open(String base, String path, Map<String, String> requestHeaders, boolean read)
            throws IOException {
        java.net.URI uri = java.net.URI.create(base);
        Socket socket = new Socket();
        if (!read) {
            socket.setReceiveBufferSize(4096);
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(read ? 0 : 30_000);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                + uri.getPort() + "\r\nAccept: text/event-stream\r\n");
        requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] errorBody = null;
        if (status != 200) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            errorBody = in.readNBytes(length);
        }
        SseClient client = new SseClient(socket, in, status, headers, errorBody);
        if (status == 200 && read) {
            client.reader = new Thread(client::readBody, "sse-client");
            client.reader.setDaemon(true);
            client.reader.start();
        }
        return client;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads the body, decoding chunks when the server chunked it. */
    private void readBody() {
        Parser parser = new Parser();
        try {
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = readLine(in);
                    int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (length == 0) {
                        break;
                    }
                    parser.feed(in.readNBytes(length));
                    readLine(in);
                }
            } else {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    parser.feed(java.util.Arrays.copyOf(buffer, read));
                }
            }
        } catch (IOException | RuntimeException closed) {
            // the connection ended
        } finally {
            ended = true;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The HTML standard's event stream interpretation, fed bytes as they come. */
    private final class Parser {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean afterCr;
        private String event;
        private String id;
        private StringBuilder data = new StringBuilder();
        private boolean hasData;

        void feed(byte[] bytes) {
            for (byte b : bytes) {
                if (afterCr && b == '\n') {
                    afterCr = false;
                    continue;
                }
                afterCr = false;
                if (b == '\r' || b == '\n') {
                    afterCr = b == '\r';
                    line(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }

        private void line(String text) {
            if (text.isEmpty()) {
                if (hasData || event != null) {
                    String value = data.toString();
                    Event dispatched = new Event(event == null ? "message" : event, id,
                            value.endsWith("\n") ? value.substring(0, value.length() - 1) : value);
                    if (dispatched.event().equals("append")) {
                        synchronized (log) {
                            log.writeBytes(Base64.getDecoder().decode(dispatched.data()));
                        }
                    }
                    events.add(dispatched);
                }
                event = null;
                data = new StringBuilder();
                hasData = false;
                return;
            }
            if (text.startsWith(":")) {
                comments.add(text.substring(1).trim());
                return;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    data.append(value).append('\n');
                    hasData = true;
                }
                case "id" -> id = value;
                default -> { }
            }
        }
    }

    /** The decoded bytes of every {@code append} event so far, in order. */
    byte[] logBytes() {
        synchronized (log) {
            return log.toByteArray();
        }
    }

    /** How many log bytes have arrived. */
    long logLength() {
        synchronized (log) {
            return log.size();
        }
    }

    List<Event> named(String name) {
        List<Event> found = new ArrayList<>();
        for (Event e : events) {
            if (e.event().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    Event awaitEvent(Predicate<Event> wanted, Duration atMost) {
        await().atMost(atMost).until(() -> events.stream().anyMatch(wanted));
        return events.stream().filter(wanted).findFirst().orElseThrow();
    }

    void awaitEnded(Duration atMost) {
        await().atMost(atMost).until(() -> ended);
    }

    /** Reads the whole stream on the calling thread until the server ends it (for a client that did not read). */
    boolean serverClosedWithin(Duration atMost) throws IOException {
        socket.setSoTimeout((int) atMost.toMillis());
        byte[] buffer = new byte[65536];
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketException reset) {
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
