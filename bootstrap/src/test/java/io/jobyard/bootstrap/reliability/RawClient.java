package io.jobyard.bootstrap.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection over a plain socket, for the clients no library imitates: one that announces a body and
 * sends part of it, or none, or vanishes in the middle; one that never finishes its headers.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket = new Socket();

    RawClient(int port) {
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * What the server sent until it closed the connection, waiting at most {@code max}.
     *
     * @return the bytes and whether the server closed the connection (false: still open after {@code max})
     */
    Received awaitClose(Duration max) {
        long started = System.nanoTime();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            socket.setSoTimeout((int) Math.max(1, max.toMillis()));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    return new Received(received.toString(StandardCharsets.ISO_8859_1), true, elapsed(started));
                }
                received.write(buffer, 0, read);
                socket.setSoTimeout((int) Math.max(1, max.toMillis() - elapsed(started).toMillis()));
            }
        } catch (SocketTimeoutException stillOpen) {
            return new Received(received.toString(StandardCharsets.ISO_8859_1), false, elapsed(started));
        } catch (SocketException reset) {
            return new Received(received.toString(StandardCharsets.ISO_8859_1), true, elapsed(started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One response, read until its {@code Content-Length} is complete, the connection closes or {@code max} passes;
     * the connection may stay open.
     */
    Received response(Duration max) {
        long started = System.nanoTime();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0 && text.length() - end - 4 >= contentLength(text.substring(0, end))) {
                    return new Received(text, false, elapsed(started));
                }
                long left = max.toMillis() - elapsed(started).toMillis();
                if (left <= 0) {
                    return new Received(text, false, elapsed(started));
                }
                socket.setSoTimeout((int) left);
                int read = in.read(buffer);
                if (read < 0) {
                    return new Received(received.toString(StandardCharsets.ISO_8859_1), true, elapsed(started));
                }
                received.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException late) {
            return new Received(received.toString(StandardCharsets.ISO_8859_1), false, elapsed(started));
        } catch (SocketException reset) {
            return new Received(received.toString(StandardCharsets.ISO_8859_1), true, elapsed(started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left
        }
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** @param closed whether the server closed the connection within the wait */
    record Received(String text, boolean closed, Duration after) {
        int status() {
            if (!text.startsWith("HTTP/1.1 ")) {
                return -1;
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }
}
