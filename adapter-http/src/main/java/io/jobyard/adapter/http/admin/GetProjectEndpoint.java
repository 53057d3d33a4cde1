package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectView;
import io.jobyard.application.port.in.ProjectRef;

import java.util.Objects;

/** {@code GET /projects/:id} by id or URL-encoded full path; a project the caller may not see is "404 Project Not Found". */
public final class GetProjectEndpoint implements Endpoint {
    private final ProjectsUseCase projects;
    private final WebUrls urls;

    public GetProjectEndpoint(ProjectsUseCase projects, WebUrls urls) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectView view = projects.getProject(request.actor(), ProjectRef.parse(request.path("id")));
        return Reply.Json.ok(request.actor().user().isPresent() ? ProjectWithAccessJson.from(view, urls)
                : ProjectJson.from(view.project(), urls));
    }
}
