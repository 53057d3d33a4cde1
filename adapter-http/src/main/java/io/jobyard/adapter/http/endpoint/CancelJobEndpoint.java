package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.domain.job.JobId;

import java.util.Objects;

/** {@code POST /projects/:id/jobs/:job_id/cancel} with optional {@code force}: 201 + the job (contract §3.5). */
public final class CancelJobEndpoint implements Endpoint {
    private final JobActionsUseCase actions;
    private final WebUrls urls;

    public CancelJobEndpoint(JobActionsUseCase actions, WebUrls urls) {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RequestValues.jobId(request);
        boolean force = RequestValues.flag(request, "force");
        return Reply.Json.created(JobJson.from(
                actions.cancel(request.actor(), RequestValues.project(request), job, force), urls, request.now()));
    }
}
