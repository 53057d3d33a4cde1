package io.jobyard.adapter.http.hook;

import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.application.port.out.HookRepository.HookLog;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** GitLab's {@code Entities::WebHookLog}: {@code request_data} is the JSON that was sent, as an object. */
final class WebHookLogJson {
    private WebHookLogJson() {
    }

    static Map<String, Object> from(HookLog log) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", log.id());
        json.put("url", log.url());
        json.put("trigger", log.trigger());
        json.put("request_headers", new LinkedHashMap<>(log.requestHeaders()));
        Object data = log.requestData() == null ? Map.of()
                : Json.read(log.requestData().getBytes(StandardCharsets.UTF_8)).map(node -> (Object) node)
                .orElse(log.requestData());
        json.put("request_data", data);
        json.put("response_headers", new LinkedHashMap<>(log.responseHeaders()));
        json.put("response_body", log.responseBody());
        json.put("execution_duration", log.executionDuration());
        json.put("response_status", log.responseStatus());
        json.put("created_at", ApiTime.utc(log.createdAt()));
        return json;
    }
}
