package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.reply.ContentDisposition;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.runner.DownloadDependencyUseCase;
import io.jobyard.domain.job.JobId;

import java.util.Objects;

/**
 * {@code GET /jobs/:id/artifacts} (contract §5.5): the archive of job {@code :id}, for the running job whose token
 * comes as {@code JOB-TOKEN}, {@code job_token} or {@code token}; streamed from the store like the Jobs API's archive
 * download.
 */
final class DownloadDependencyEndpoint implements RunnerEndpoint {
    private final DownloadDependencyUseCase downloadDependency;

    DownloadDependencyEndpoint(DownloadDependencyUseCase downloadDependency) {
        this.downloadDependency = Objects.requireNonNull(downloadDependency, "downloadDependency");
    }

    @Override
    public void serve(RunnerCall call) throws Exception {
        JobId dependency = call.jobId();
        String token = Credentials.from(call.exchange().getRequestHeaders(), call.queryParams()).jobToken();
        // No token authenticates no job: the use case answers 401.
        Download download = downloadDependency.download(dependency, token == null ? "" : token);
        call.stream(new Reply.Stream(download, Reply.DownloadStyle.ARCHIVE,
                ContentDisposition.attachment(download.filename())));
    }
}
