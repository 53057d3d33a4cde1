package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;

import java.time.Instant;
import java.util.List;

/**
 * GitLab's {@code PersonalAccessTokenWithToken}: the stored token ({@link PersonalAccessTokenJson}) and, this once,
 * its secret — what creating and rotating a token answer.
 */
@JsonPropertyOrder({"id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at",
        "active", "expires_at", "token"})
record PersonalAccessTokenWithTokenJson(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("revoked") boolean revoked,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("description") String description,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("user_id") long userId,
        @JsonProperty("last_used_at") String lastUsedAt,
        @JsonProperty("active") boolean active,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("token") String token) {

    @Override
    public String toString() {
        return "PersonalAccessTokenWithTokenJson[" + id + "]";
    }

    static PersonalAccessTokenWithTokenJson from(IssuedToken issued, Instant now) {
        PersonalAccessTokenJson t = PersonalAccessTokenJson.from(issued.token(), now);
        return new PersonalAccessTokenWithTokenJson(t.id(), t.name(), t.revoked(), t.createdAt(), t.description(),
                t.scopes(), t.userId(), t.lastUsedAt(), t.active(), t.expiresAt(), issued.secret());
    }
}
