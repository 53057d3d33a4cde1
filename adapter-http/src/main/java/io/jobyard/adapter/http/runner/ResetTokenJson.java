package io.jobyard.adapter.http.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * GitLab's {@code Ci::ResetTokenResult}: a runner's new authentication token, shown once. Jobyard's runner tokens do
 * not expire, so {@code token_expires_at} is null.
 */
@JsonPropertyOrder({"token", "token_expires_at"})
record ResetTokenJson(
        @JsonProperty("token") String token,
        @JsonProperty("token_expires_at") String tokenExpiresAt) {

    static ResetTokenJson of(String token) {
        return new ResetTokenJson(token, null);
    }

    @Override
    public String toString() {
        return "ResetTokenJson[]";
    }
}
