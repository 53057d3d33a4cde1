package io.jobyard.adapter.http;

import io.undertow.server.HttpHandler;

/**
 * A handler that may be called on the IO thread because it reads small request bodies without blocking and dispatches
 * itself to a worker (every API's {@link ApiPipeline}). A pipeline hands the requests it has no route for to such a
 * fallback still on the IO thread; any other fallback runs on a worker in blocking mode, where whatever it reads is
 * bounded only by the idle timeout of {@link io.jobyard.adapter.http.params.WatchedBlockingExchange}.
 */
public interface SelfDispatching extends HttpHandler {
}
