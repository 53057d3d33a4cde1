package io.jobyard.adapter.http.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.runner.Runner;

/**
 * A runner and its authentication token, as {@code POST /user/runners} and {@code POST /runners/verify} answer them.
 * Jobyard's runner tokens do not expire, so {@code token_expires_at} is null.
 */
@JsonPropertyOrder({"id", "token", "token_expires_at"})
record RunnerTokenJson(
        @JsonProperty("id") long id,
        @JsonProperty("token") String token,
        @JsonProperty("token_expires_at") String tokenExpiresAt) {

    static RunnerTokenJson from(Runner runner, String token) {
        return new RunnerTokenJson(runner.id().value(), token, null);
    }

    @Override
    public String toString() {
        return "RunnerTokenJson[" + id + "]";
    }
}
