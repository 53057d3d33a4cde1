package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.domain.job.JobId;

import java.util.Objects;

/**
 * {@code GET /jobs/:id/artifacts} (contract §5.5): the archive of job {@code :id}, for the running job whose token
 * comes as {@code JOB-TOKEN}, {@code job_token} or {@code token}; streamed from the store like the Jobs API's archive
 * download.
 */
public final class DownloadDependencyEndpoint implements Endpoint {
    private final DownloadDependencyUseCase downloadDependency;

    public DownloadDependencyEndpoint(DownloadDependencyUseCase downloadDependency) {
        this.downloadDependency = Objects.requireNonNull(downloadDependency, "downloadDependency");
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId dependency = RunnerParams.jobId(request);
        String token = request.credentials().jobToken();
        // No token authenticates no job: the use case answers 401.
        Download download = downloadDependency.download(dependency, token == null ? "" : token);
        return new Reply.Stream(download, Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment(download.filename()));
    }
}
