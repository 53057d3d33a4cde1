package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.GitLabApiLevel;

/**
 * {@code GET /metadata} and its deprecated twin {@code GET /version} ({@code lib/api/metadata.rb}): both answer
 * GitLab's metadata query, {@code {"version", "revision", "kas": {"enabled", "externalUrl", "version"},
 * "enterprise"}}, to any signed-in caller. The version is the GitLab API level Jobyard implements
 * ({@link GitLabApiLevel}); Jobyard runs no agent server for Kubernetes (KAS) and is no Enterprise Edition.
 */
public final class MetadataEndpoint implements Endpoint {

    @JsonPropertyOrder({"version", "revision", "kas", "enterprise"})
    record MetadataJson(
            @JsonProperty("version") String version,
            @JsonProperty("revision") String revision,
            @JsonProperty("kas") KasJson kas,
            @JsonProperty("enterprise") boolean enterprise) {
    }

    /** GraphQL's camelCase {@code externalUrl}, as GitLab's REST answer passes the query's result through. */
    @JsonPropertyOrder({"enabled", "externalUrl", "version"})
    record KasJson(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("externalUrl") String externalUrl,
            @JsonProperty("version") String version) {
    }

    private static final MetadataJson METADATA = new MetadataJson(GitLabApiLevel.VERSION, GitLabApiLevel.REVISION,
            new KasJson(false, null, null), false);

    @Override
    public Reply handle(ApiRequest request) {
        return Reply.Json.ok(METADATA);
    }
}
