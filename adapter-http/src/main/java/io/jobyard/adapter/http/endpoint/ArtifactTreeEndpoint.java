package io.jobyard.adapter.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.json.ArtifactTreeEntryJson;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.reply.SourceHeaders;
import io.jobyard.application.port.in.artifact.ArtifactTree;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jobyard's look inside an artifacts archive without downloading it: {@code GET .../jobs/:job_id/artifacts_tree} and,
 * for the latest archive of a ref, {@code GET .../jobs/artifacts/:ref_name/tree?job=}. Parameters: {@code path} (the
 * directory, the root by default), {@code recursive}, {@code glob} and {@code per_page}; always keyset pages, whose
 * {@code Link rel="next"} carries the cursor ({@code {"path":…,"_kd":"n"}}) and every other parameter. The answer names
 * the job and pipeline the entries are from ({@code X-Jobyard-Job-Id}, {@code X-Jobyard-Pipeline-Id}), which matters
 * for the by-ref listing. Authorized as the single-file download is.
 */
public final class ArtifactTreeEndpoint implements Endpoint {
    private final ArtifactsUseCase artifacts;
    private final boolean byRef;

    private ArtifactTreeEndpoint(ArtifactsUseCase artifacts, boolean byRef) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.byRef = byRef;
    }

    public static ArtifactTreeEndpoint byJob(ArtifactsUseCase artifacts) {
        return new ArtifactTreeEndpoint(artifacts, false);
    }

    public static ArtifactTreeEndpoint byRef(ArtifactsUseCase artifacts) {
        return new ArtifactTreeEndpoint(artifacts, true);
    }

    @Override
    public Reply handle(ApiRequest request) {
        String path = request.params().text("path").orElse("");
        boolean recursive = RequestValues.flag(request, "recursive");
        String glob = request.params().text("glob").filter(g -> !g.isEmpty()).orElse(null);
        int perPage = KeysetPageReply.perPage(request);
        String after = KeysetPageReply.cursor(request).map(ArtifactTreeEndpoint::position).orElse(null);
        ArtifactTree.Query query = new ArtifactTree.Query(path, recursive, glob, after, perPage);
        ArtifactTree tree;
        if (byRef) {
            String ref = request.path("ref_name");
            String job = RequestValues.requiredText(request, "job");
            tree = artifacts.treeByRef(request.actor(), RequestValues.project(request), ref, job, query);
        } else {
            tree = artifacts.tree(request.actor(), RequestValues.project(request), RequestValues.jobId(request),
                    query);
        }
        List<ArtifactTreeEntryJson> body = tree.entries().stream().map(ArtifactTreeEntryJson::from).toList();
        Reply.Json page = (Reply.Json) KeysetPageReply.of(body, tree.next() == null ? null : cursor(tree.next()),
                request);
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put(SourceHeaders.JOB, Long.toString(tree.job().value()));
        headers.put(SourceHeaders.PIPELINE, Long.toString(tree.pipeline().value()));
        return new Reply.Json(page.status(), page.body(), headers);
    }

    static String cursor(String position) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("path", position);
        fields.put("_kd", "n");
        return Base64.getUrlEncoder().encodeToString(Json.write(fields));
    }

    private static String position(String cursor) {
        String standard = cursor.trim().replace('-', '+').replace('_', '/');
        while (standard.length() % 4 != 0) {
            standard = standard + "=";
        }
        try {
            JsonNode node = Json.read(Base64.getDecoder().decode(standard)).filter(JsonNode::isObject)
                    .orElseThrow(KeysetCursor::invalid);
            JsonNode path = node.get("path");
            JsonNode direction = node.get("_kd");
            if (path == null || !path.isTextual() || path.asText().isEmpty()
                    || direction != null && !"n".equals(direction.asText())) {
                throw KeysetCursor.invalid();
            }
            return path.asText();
        } catch (IllegalArgumentException notBase64) {
            throw KeysetCursor.invalid();
        }
    }
}
