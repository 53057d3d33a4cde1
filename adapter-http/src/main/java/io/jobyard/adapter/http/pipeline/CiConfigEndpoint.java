package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.RequestValues;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;

import java.util.Objects;

/**
 * {@code GET} and {@code PUT /projects/:id/ci_config} (Jobyard's route: it holds no repository to read
 * {@code .gitlab-ci.yml} from). Both answer {@code {"content": "..."}}; PUT takes {@code content} as a form or JSON
 * parameter, refuses a configuration GitLab's lint refuses exactly as pipeline creation does, and stores it for
 * {@code POST /projects/:id/pipeline} requests that bring none.
 */
public final class CiConfigEndpoint implements Endpoint {
    private final CiConfigUseCase ciConfig;
    private final boolean store;

    record CiConfigJson(@JsonProperty("content") String content) {
    }

    private CiConfigEndpoint(CiConfigUseCase ciConfig, boolean store) {
        this.ciConfig = Objects.requireNonNull(ciConfig, "ciConfig");
        this.store = store;
    }

    public static CiConfigEndpoint read(CiConfigUseCase ciConfig) {
        return new CiConfigEndpoint(ciConfig, false);
    }

    public static CiConfigEndpoint store(CiConfigUseCase ciConfig) {
        return new CiConfigEndpoint(ciConfig, true);
    }

    @Override
    public long maxBodyBytes(HttpSettings settings) {
        return store ? settings.ciConfigBodyBytes() : settings.maxBodyBytes();
    }

    @Override
    public Reply handle(ApiRequest request) {
        if (!store) {
            return Reply.Json.ok(new CiConfigJson(ciConfig.read(request.actor(), RequestValues.project(request))));
        }
        String content = request.params().text("content").orElseThrow(() -> Params.missing("content"));
        ciConfig.store(request.actor(), RequestValues.project(request), content);
        return Reply.Json.ok(new CiConfigJson(content));
    }
}
