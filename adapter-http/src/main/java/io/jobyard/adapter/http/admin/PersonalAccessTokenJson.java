package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.application.port.in.AdministerUseCase.IssuedToken;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * GitLab's {@code PersonalAccessTokenWithToken}: the stored token and, this once, its secret. {@code active} is
 * GitLab's "neither revoked nor expired"; scopes are listed in a fixed order so the answer does not vary.
 */
@JsonPropertyOrder({"id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at",
        "active", "expires_at", "token"})
record PersonalAccessTokenJson(
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
        return "PersonalAccessTokenJson[" + id + "]";
    }

    static PersonalAccessTokenJson from(IssuedToken issued, Instant now) {
        AccessToken token = issued.token();
        List<String> scopes = token.scopes().stream().sorted(Comparator.naturalOrder())
                .map(TokenScope::wireName).toList();
        return new PersonalAccessTokenJson(token.id(), token.name(), token.revoked(), ApiTime.utc(token.createdAt()),
                null, scopes, token.userId().value(), null, !token.revoked() && !token.expired(now),
                token.expiresAt() == null ? null : token.expiresAt().toString(), issued.secret());
    }
}
