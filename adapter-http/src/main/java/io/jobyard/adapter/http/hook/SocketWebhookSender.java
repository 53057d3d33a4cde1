package io.jobyard.adapter.http.hook;

import io.jobyard.adapter.http.routing.PercentDecoding;
import io.jobyard.application.port.out.WebhookSender;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Webhook requests over a plain socket to an address the caller vetted: HTTP/1.1, one POST per connection. A general
 * HTTP client resolves the host name itself when it connects, after any check made before, which is exactly the
 * window DNS rebinding uses; this sender connects to the given address and only names the host in {@code Host}, in
 * TLS's server name indication and in the certificate check. Redirects are not followed (GitLab counts a 3xx as
 * delivered). One deadline bounds the whole attempt: connecting, TLS, sending, and reading the answer.
 *
 * <p>Of the answer it keeps what GitLab's log keeps: the first 50 headers, each value at most 1 KiB, and at most
 * 8 KiB of the body; it stops reading there.
 */
public final class SocketWebhookSender implements WebhookSender {
    static final int RESPONSE_BODY_LIMIT = 8 * 1024;
    static final int RESPONSE_HEADERS_COUNT_LIMIT = 50;
    static final int RESPONSE_HEADER_SIZE_LIMIT = 1024;
    private static final int MAX_LINE = 64 * 1024;

    private final SSLContext verifying;
    private final SSLContext trustingAll;

    public SocketWebhookSender() {
        this(defaultContext());
    }

    /** @param verifying the TLS context used when the hook verifies certificates (tests trust their own CA) */
    public SocketWebhookSender(SSLContext verifying) {
        this.verifying = verifying;
        this.trustingAll = trustAll();
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    /** For hooks with {@code enable_ssl_verification: false}, as GitLab's {@code verify: false}. */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS available", e);
        }
    }

    @Override
    public Response send(Request request) {
        long start = System.nanoTime();
        long deadline = start + request.timeout().toNanos();
        try {
            return exchange(request, deadline, start);
        } catch (SocketTimeoutException e) {
            return Response.failed("Net::ReadTimeout: execution expired after " + request.timeout().toSeconds() + " s",
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Response.failed(message, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Response exchange(Request request, long deadline, long start) throws IOException {
        URI url = request.url();
        boolean https = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String host = url.getHost();
        try (Socket socket = connect(request, port, deadline)) {
            Socket channel = socket;
            if (https) {
                SSLContext context = request.verifyTls() ? verifying : trustingAll;
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                if (request.verifyTls()) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                if (!host.startsWith("[") && !host.matches("[0-9.]+")) {
                    parameters.setServerNames(java.util.List.of(new SNIHostName(host)));
                }
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(remaining(deadline));
                tls.startHandshake();
                channel = tls;
            }
            channel.setSoTimeout(remaining(deadline));
            byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
            OutputStream out = channel.getOutputStream();
            out.write(head(request, url, https, port, body.length).getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            return read(channel, deadline, start);
        }
    }

    private static Socket connect(Request request, int port, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : request.addresses()) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), remaining(deadline));
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last;
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static String head(Request request, URI url, boolean https, int port, int length) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        boolean defaultPort = port == (https ? 443 : 80);
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(url.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n");
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (url.getRawUserInfo() != null) {
            // GitLab sends a URL's user and password as basic authentication, not in the request line, each
            // CGI.unescape-d (a + is a space).
            String[] parts = url.getRawUserInfo().split(":", 2);
            String user = PercentDecoding.decode(parts[0], true);
            String password = parts.length > 1 ? PercentDecoding.decode(parts[1], true) : "";
            head.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        head.append("Content-Length: ").append(length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        return head.toString();
    }

    private static Response read(Socket channel, long deadline, long start) throws IOException {
        InputStream in = channel.getInputStream();
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
            throw new IOException("not an HTTP response: " + truncate(status, 100));
        }
        int code = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        long contentLength = -1;
        boolean chunked = false;
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length") && value.matches("[0-9]{1,18}")) {
                contentLength = Long.parseLong(value);
            }
            if (lower.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            if (headers.size() < RESPONSE_HEADERS_COUNT_LIMIT) {
                headers.merge(capitalized(name), truncate(value, RESPONSE_HEADER_SIZE_LIMIT), (a, b) -> a + ", " + b);
            }
        }
        channel.setSoTimeout(remaining(deadline));
        byte[] body = chunked ? chunkedBody(in) : plainBody(in, contentLength);
        return new Response(code, headers, utf8(body), null, Duration.ofNanos(System.nanoTime() - start));
    }

    /** As Ruby's {@code each_capitalized} writes header names: {@code content-type} becomes {@code Content-Type}. */
    static String capitalized(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static byte[] plainBody(InputStream in, long contentLength) throws IOException {
        long wanted = contentLength < 0 ? RESPONSE_BODY_LIMIT : Math.min(contentLength, RESPONSE_BODY_LIMIT);
        return in.readNBytes((int) wanted);
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < RESPONSE_BODY_LIMIT) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            String hex = (semicolon >= 0 ? size.substring(0, semicolon) : size).trim();
            if (!hex.matches("[0-9a-fA-F]{1,8}")) {
                throw new IOException("bad chunk size");
            }
            int length = Integer.parseInt(hex, 16);
            if (length == 0) {
                break;
            }
            byte[] chunk = in.readNBytes(Math.min(length, RESPONSE_BODY_LIMIT - body.size()));
            body.write(chunk);
            if (chunk.length < length) {
                break;
            }
            line(in);
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("response line too long");
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("connection closed before a response");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The body as text; bytes that are not UTF-8 become replacement characters, as GitLab's {@code encode_utf8}. */
    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String truncate(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit);
    }
}
