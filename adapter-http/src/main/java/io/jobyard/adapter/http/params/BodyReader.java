package io.jobyard.adapter.http.params;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.reply.ApiError;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the parameters of a request body the way Grape's formatter does, before authentication: JSON (also when no
 * content type is given, Grape's default format), or a form. Clients send {@code {}}, an empty form, or JSON with
 * {@code job_variables_attributes}; none of these is an error. A body that claims JSON and is not is 400 with Grape's
 * message. Other content types carry nothing this API reads and are ignored. GET and HEAD bodies are never read
 * (python-gitlab labels bodyless GETs as JSON).
 */
public final class BodyReader {
    static final String NOT_JSON = "message body does not match declared format";

    private BodyReader() {
    }

    public static Map<String, ParamValue> read(HttpServerExchange exchange, long maxBytes) throws IOException {
        String method = exchange.getRequestMethod().toString();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return Map.of();
        }
        int limit = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        if (exchange.getRequestContentLength() > limit) {
            throw tooLarge();
        }
        // Read on the IO thread before dispatch (SmallBodyReceiver) unless a host calls an endpoint some other way.
        byte[] body = SmallBodyReceiver.received(exchange).orElse(null);
        if (body == null) {
            // Undertow cuts bodies at its own entity limit (2 MiB by default) with an exception; this limit is the one.
            if (!exchange.isRequestComplete()) {
                exchange.setMaxEntitySize(limit + 1L);
            }
            try {
                body = exchange.getInputStream().readNBytes(limit + 1);
            } catch (RequestTooBigException tooBig) {
                throw tooLarge();
            }
        }
        if (body.length > limit) {
            throw tooLarge();
        }
        if (body.length == 0) {
            return Map.of();
        }
        String type = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (type.isEmpty() || type.equals("application/json") || type.endsWith("+json")) {
            return NestedParams.fromJson(Json.read(body).orElseThrow(() -> ApiError.error(400, NOT_JSON)));
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return NestedParams.fromPairs(FormEncoding.parse(new String(body, StandardCharsets.UTF_8)));
        }
        return Map.of();
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static ApiError tooLarge() {
        return ApiError.message(413, "413 Request Entity Too Large");
    }
}
