package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.job.GetJobUseCase;

import java.util.Objects;

/** {@code GET /job}: the job whose CI token authenticated the request (contract §3.9). */
public final class CurrentJobEndpoint implements Endpoint {
    private final GetJobUseCase jobs;
    private final WebUrls urls;

    public CurrentJobEndpoint(GetJobUseCase jobs, WebUrls urls) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        return Reply.Json.ok(JobJson.from(jobs.currentJob(request.actor()), urls, request.now()));
    }
}
