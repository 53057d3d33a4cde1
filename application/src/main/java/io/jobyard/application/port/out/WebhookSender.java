package io.jobyard.application.port.out;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends one webhook request: an HTTP POST of a JSON body. Implementations never follow redirects and connect only to
 * one of the addresses they are given (already checked against the server-side request forgery rules), never
 * resolving the host again, so a DNS answer that changes between the check and the connection cannot redirect them.
 */
public interface WebhookSender {

    /**
     * @return what came back; a failure to connect, a timeout or a TLS error is a {@link Response} without a status
     */
    Response send(Request request);

    /**
     * @param addresses the resolved addresses of the URL's host that may be connected to, in order of preference
     * @param headers   in the order they are sent
     */
    record Request(URI url, List<InetAddress> addresses, Map<String, String> headers, String body,
                   boolean verifyTls, Duration timeout) {
        public Request {
            Objects.requireNonNull(url, "url");
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no address to connect to");
            }
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /**
     * @param status       the HTTP status, or null when no response came ({@code error} says why)
     * @param headers      response headers, at most GitLab's 50, each value at most 1 KiB
     * @param body         the response body as text, at most GitLab's 8 KiB
     * @param error        why no response came, or null
     */
    record Response(Integer status, Map<String, String> headers, String body, String error, Duration duration) {
        public Response {
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
            Objects.requireNonNull(duration, "duration");
        }

        /** GitLab counts 2xx and 3xx as delivered ({@code response.success? || response.redirection?}). */
        public boolean delivered() {
            return status != null && status >= 200 && status < 400;
        }

        public static Response failed(String error, Duration duration) {
            return new Response(null, Map.of(), "", error, duration);
        }
    }
}
