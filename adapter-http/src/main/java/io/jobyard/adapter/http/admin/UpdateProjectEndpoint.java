package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectChanges;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code PUT /projects/:id} ({@code lib/api/projects.rb}): the attributes of GitLab's edit that Jobyard's projects have
 * — {@code name}, {@code description}, {@code default_branch}, {@code visibility}, {@code public_jobs} — and Jobyard's
 * {@code repository_url} (empty text names no repository). 200 with the project entity. As in GitLab, a request naming
 * none of them is Grape's {@code at_least_one_of} 400, and a Developer's is 403.
 */
public final class UpdateProjectEndpoint implements Endpoint {
    static final String AT_LEAST_ONE = "name, description, default_branch, visibility, public_jobs, repository_url "
            + "are missing, at least one parameter must be provided";

    private final ProjectsUseCase projects;
    private final WebUrls urls;

    public UpdateProjectEndpoint(ProjectsUseCase projects, WebUrls urls) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        Optional<Visibility> visibility = params.text("visibility").filter(v -> !v.isEmpty())
                .map(v -> Visibility.fromWireName(v).orElseThrow(() -> AdminParams.notAValidValue("visibility")));
        ProjectChanges changes = new ProjectChanges(
                params.text("name").filter(n -> !n.isBlank()),
                params.text("description"),
                params.text("default_branch").filter(b -> !b.isEmpty()),
                visibility,
                params.bool("public_jobs"),
                params.text("repository_url"));
        if (changes.isEmpty()) {
            throw new InvalidParameterException(AT_LEAST_ONE);
        }
        Project project = projects.updateProject(request.actor(), ProjectRef.parse(request.path("id")), changes);
        return Reply.Json.ok(ProjectJson.from(project, urls));
    }
}
