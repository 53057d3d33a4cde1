package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.JobJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobVariable;

import java.util.List;
import java.util.Objects;

/**
 * {@code POST /projects/:id/jobs/:job_id/play} with optional {@code job_variables_attributes}: 200 (set explicitly
 * in GitLab, not Grape's 201) + the job (contract §3.8).
 */
public final class PlayJobEndpoint implements Endpoint {
    private final JobActionsUseCase actions;
    private final WebUrls urls;

    public PlayJobEndpoint(JobActionsUseCase actions, WebUrls urls) {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        JobId job = RequestValues.jobId(request);
        List<JobVariable> variables = PlayVariables.read(request.params());
        return Reply.Json.ok(JobJson.from(
                actions.play(request.actor(), RequestValues.project(request), job, variables), urls, request.now()));
    }
}
