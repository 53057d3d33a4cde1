package io.jobyard.adapter.http.hook;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.application.port.in.event.HookPayload;
import io.jobyard.application.port.in.event.JobHookPayload;
import io.jobyard.application.port.in.event.PipelineHookPayload;
import io.jobyard.application.port.out.HookPayloadEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * GitLab's job and pipeline hook JSON for a payload: what webhooks send, and what issue 16's event stream and the
 * in-process listeners can show, byte for byte the same.
 */
public final class JsonHookPayloadEncoder implements HookPayloadEncoder {
    private final WebUrls urls;

    /** @param baseUrl the instance's external URL, which every {@code web_url} and {@code url} starts with */
    public JsonHookPayloadEncoder(String baseUrl) {
        this.urls = new WebUrls(Objects.requireNonNull(baseUrl, "baseUrl"));
    }

    @Override
    public String encode(HookPayload payload) {
        Object json = payload instanceof JobHookPayload job ? JobHookJson.from(job, urls)
                : PipelineHookJson.from((PipelineHookPayload) payload, urls);
        return new String(Json.write(json), StandardCharsets.UTF_8);
    }
}
