package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.job.GetJobUseCase;

import java.util.Objects;

/** {@code GET /projects/:id/jobs/:job_id} (contract §3.3). */
public final class GetJobEndpoint implements Endpoint {
    private final GetJobUseCase jobs;
    private final WebUrls urls;

    public GetJobEndpoint(GetJobUseCase jobs, WebUrls urls) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        var job = RequestValues.jobId(request);
        return Reply.Json.ok(JobJson.from(jobs.get(request.actor(), RequestValues.project(request), job), urls,
                request.now()));
    }
}
