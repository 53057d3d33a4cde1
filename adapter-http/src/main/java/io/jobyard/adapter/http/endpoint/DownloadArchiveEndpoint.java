package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.stream.ContentDisposition;

import java.util.Objects;

/**
 * The whole artifacts archive, by job id ({@code GET /projects/:id/jobs/:job_id/artifacts}, contract §3.10) or by
 * ref and job name ({@code GET /projects/:id/jobs/artifacts/:ref_name/download?job=}, §3.11).
 */
public final class DownloadArchiveEndpoint implements Endpoint {
    private final ArtifactsUseCase artifacts;
    private final boolean byRef;

    private DownloadArchiveEndpoint(ArtifactsUseCase artifacts, boolean byRef) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.byRef = byRef;
    }

    public static DownloadArchiveEndpoint byJob(ArtifactsUseCase artifacts) {
        return new DownloadArchiveEndpoint(artifacts, false);
    }

    public static DownloadArchiveEndpoint byRef(ArtifactsUseCase artifacts) {
        return new DownloadArchiveEndpoint(artifacts, true);
    }

    @Override
    public Reply handle(ApiRequest request) {
        Download download;
        if (byRef) {
            String ref = request.path("ref_name");
            String job = RequestValues.requiredText(request, "job");
            download = artifacts.archiveByRef(request.actor(), RequestValues.project(request), ref, job);
        } else {
            download = artifacts.archive(request.actor(), RequestValues.project(request), RequestValues.jobId(request));
        }
        return new Reply.Stream(download, Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment(download.filename()));
    }
}
