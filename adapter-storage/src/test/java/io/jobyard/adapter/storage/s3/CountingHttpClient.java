package io.jobyard.adapter.storage.s3;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps the SDK's HTTP client and records every request that goes on the wire (retries included), so a test can say
 * exactly how many round trips an operation cost.
 */
public final class CountingHttpClient implements SdkHttpClient {

    /** One request as sent: method, path, query and Range header. */
    public record Sent(String method, String path, String query, String range) {
    }

    private final SdkHttpClient delegate;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    public CountingHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        sent.add(new Sent(http.method().name(), http.encodedPath(), http.encodedQueryParameters().orElse(""),
                http.firstMatchingHeader("Range").orElse(null)));
        return delegate.prepareRequest(request);
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public void reset() {
        sent.clear();
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
