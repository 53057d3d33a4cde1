package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;

import java.util.Map;
import java.util.Objects;

/**
 * {@code DELETE /projects/:id/jobs/:job_id/artifacts} → 204 with no body (contract §3.15), and
 * {@code DELETE /projects/:id/artifacts} → 202 {@code {"message":"202 Accepted"}} (§3.16).
 */
public final class DeleteArtifactsEndpoint implements Endpoint {
    private final ArtifactsUseCase artifacts;
    private final boolean wholeProject;

    private DeleteArtifactsEndpoint(ArtifactsUseCase artifacts, boolean wholeProject) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.wholeProject = wholeProject;
    }

    public static DeleteArtifactsEndpoint ofJob(ArtifactsUseCase artifacts) {
        return new DeleteArtifactsEndpoint(artifacts, false);
    }

    public static DeleteArtifactsEndpoint ofProject(ArtifactsUseCase artifacts) {
        return new DeleteArtifactsEndpoint(artifacts, true);
    }

    @Override
    public Reply handle(ApiRequest request) {
        if (wholeProject) {
            artifacts.deleteProjectArtifacts(request.actor(), RequestValues.project(request));
            return new Reply.Json(202, Map.of("message", "202 Accepted"), Map.of());
        }
        var job = RequestValues.jobId(request);
        artifacts.deleteJobArtifacts(request.actor(), RequestValues.project(request), job);
        return new Reply.Empty(204);
    }
}
