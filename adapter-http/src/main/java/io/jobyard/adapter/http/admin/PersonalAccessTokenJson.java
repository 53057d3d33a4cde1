package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.ApiTime;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * GitLab's {@code PersonalAccessToken} entity: a stored token without its secret. {@code active} is GitLab's "neither
 * revoked nor expired"; scopes are listed in a fixed order so the answer does not vary. Jobyard keeps no token
 * descriptions ({@code description} is null) and no addresses a token was used from (GitLab's
 * {@code PersonalAccessTokenWithLastUsedIps} adds {@code last_used_ips}, which is left out).
 */
@JsonPropertyOrder({"id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at",
        "active", "expires_at"})
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
        @JsonProperty("expires_at") String expiresAt) {

    static PersonalAccessTokenJson from(AccessToken token, Instant now) {
        return new PersonalAccessTokenJson(token.id(), token.name(), token.revoked(), ApiTime.utc(token.createdAt()),
                null, scopes(token), token.userId().value(),
                token.lastUsedAt() == null ? null : ApiTime.utc(token.lastUsedAt()), token.active(now),
                token.expiresAt() == null ? null : token.expiresAt().toString());
    }

    static List<String> scopes(AccessToken token) {
        return token.scopes().stream().sorted(Comparator.naturalOrder()).map(TokenScope::wireName).toList();
    }
}
