package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.params.BodyReader;
import io.jobyard.adapter.http.params.FormEncoding;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.ReplyWriter;
import io.jobyard.domain.job.JobId;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One routed request of the runner API, on a worker thread in blocking mode. Parameters are read on demand: most
 * routes take a JSON or form body, but the log append and the artifact upload must stream theirs, so nothing reads
 * the body before the endpoint decides how.
 */
final class RunnerCall {
    private static final ReplyWriter WRITER = new ReplyWriter();

    private final HttpServerExchange exchange;
    private final Map<String, String> rawPathParams;
    private final HttpSettings settings;

    private final Consumer<Throwable> failureAnswer;

    RunnerCall(HttpServerExchange exchange, Map<String, String> rawPathParams, HttpSettings settings,
               Consumer<Throwable> failureAnswer) {
        this.exchange = exchange;
        this.rawPathParams = Map.copyOf(rawPathParams);
        this.settings = settings;
        this.failureAnswer = failureAnswer;
    }

    /** Work that answers the call, and may fail like an endpoint. */
    @FunctionalInterface
    interface Answer {
        void run() throws Exception;
    }

    /**
     * Leaves the call open when the endpoint returns and lets {@code longPolling} answer it later on a worker thread;
     * failures then are answered as an endpoint's would be.
     */
    void holdUntilQueueChanges(LongPolling longPolling, BooleanSupplier queueUnchanged, Answer answer) {
        Runnable resume = () -> {
            try {
                answer.run();
            } catch (Exception | Error failure) {
                failureAnswer.accept(failure);
            } finally {
                exchange.endExchange();
            }
        };
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            Runnable cancel = longPolling.hold(queueUnchanged, resume, exchange.getConnection().getWorker());
            exchange.getConnection().addCloseListener(connection -> cancel.run());
        });
    }

    HttpServerExchange exchange() {
        return exchange;
    }

    /** A path parameter as it arrived, still percent-encoded; null when the route has none of that name. */
    String rawPathParam(String name) {
        return rawPathParams.get(name);
    }

    /** The {@code :id} of a job route; Grape's coercion message when it is not a positive integer. */
    JobId jobId() {
        String raw = rawPathParams.get("id");
        BigInteger value = raw == null ? null : Params.parseInteger(raw).orElse(null);
        if (value == null || value.signum() <= 0 || value.bitLength() > 63) {
            throw Params.invalid("id");
        }
        return JobId.of(value.longValue());
    }

    /** Query parameters overridden by the JSON or form body (read whole, up to the configured limit). */
    Params bodyParams() throws IOException {
        return Params.of(FormEncoding.parse(exchange.getQueryString()),
                BodyReader.read(exchange, settings.maxBodyBytes()));
    }

    /** Query parameters only; the body is left unread for the endpoint to stream. */
    Params queryParams() {
        return Params.of(FormEncoding.parse(exchange.getQueryString()), Map.of());
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** A JSON answer labelled exactly {@code application/json}. */
    void json(int status, Object body, Map<String, String> headers) throws IOException {
        WRITER.json(exchange, status, body, headers);
    }

    /**
     * GitLab's runner endpoints answer some statuses with the status itself as the body ({@code 200}, {@code 201}):
     * a bare JSON number, labelled as JSON like every Grape answer.
     */
    void statusBody(int status, Map<String, String> headers) throws IOException {
        HeaderMap response = exchange.getResponseHeaders();
        headers.forEach((name, value) -> response.put(HttpString.tryFromString(name), value));
        byte[] bytes = Integer.toString(status).getBytes(StandardCharsets.US_ASCII);
        exchange.setStatusCode(status);
        response.put(HttpString.tryFromString("Content-Type"), ReplyWriter.JSON);
        response.put(HttpString.tryFromString("Content-Length"), Integer.toString(bytes.length));
        OutputStream out = exchange.getOutputStream();
        out.write(bytes);
        out.flush();
        exchange.endExchange();
    }

    /** A status with headers and no body (204, and the log append's 202). */
    void empty(int status, Map<String, String> headers) {
        HeaderMap response = exchange.getResponseHeaders();
        headers.forEach((name, value) -> response.put(HttpString.tryFromString(name), value));
        exchange.setStatusCode(status);
        if (status != 204) {
            response.put(HttpString.tryFromString("Content-Length"), "0");
        }
        exchange.endExchange();
    }

    /** A download, with ETag, Range and HEAD handled by the Jobs API's writer. */
    void stream(Reply.Stream reply) throws IOException {
        WRITER.write(exchange, reply);
    }
}
