package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.stream.ContentDisposition;

import java.util.Objects;

/**
 * One file out of the artifacts archive: by job id ({@code GET .../jobs/:job_id/artifacts/*artifact_path}, contract
 * §3.12, typed by extension) or by ref and job name ({@code GET .../jobs/artifacts/:ref_name/raw/*artifact_path?job=},
 * §3.13, typed by sniffing the content as Workhorse does), named by its base name exactly as Workhorse names it
 * ({@link ContentDisposition#workhorseAttachment}): GitLab's Rails hands these downloads to Workhorse, unlike the
 * archive, which keeps Rails' {@code filename}/{@code filename*} pair.
 */
public final class DownloadFileEndpoint implements Endpoint {
    private final ArtifactsUseCase artifacts;
    private final boolean byRef;

    private DownloadFileEndpoint(ArtifactsUseCase artifacts, boolean byRef) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.byRef = byRef;
    }

    public static DownloadFileEndpoint byJob(ArtifactsUseCase artifacts) {
        return new DownloadFileEndpoint(artifacts, false);
    }

    public static DownloadFileEndpoint byRef(ArtifactsUseCase artifacts) {
        return new DownloadFileEndpoint(artifacts, true);
    }

    @Override
    public Reply handle(ApiRequest request) {
        // Decoded after matching; judged by the use case at GitLab's point in the check order (400 for NUL or
        // invalid UTF-8, a miss for names no entry can have).
        String path = request.path("artifact_path");
        Download download;
        if (byRef) {
            String ref = request.path("ref_name");
            String job = RequestValues.requiredText(request, "job");
            download = artifacts.fileByRef(request.actor(), RequestValues.project(request), ref, job, path);
        } else {
            var jobId = RequestValues.jobId(request);
            download = artifacts.file(request.actor(), RequestValues.project(request), jobId, path);
        }
        return new Reply.Stream(download,
                byRef ? Reply.DownloadStyle.FILE_SNIFFED : Reply.DownloadStyle.FILE_BY_EXTENSION,
                ContentDisposition.workhorseAttachment(download.filename()));
    }
}
