package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase.NewProject;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code POST /projects}: GitLab's {@code name} and/or {@code path} (at least one; the missing one is derived from the
 * other), {@code visibility}, {@code public_jobs}, and Jobyard's {@code namespace_path} (GitLab takes a numeric
 * {@code namespace_id}; Jobyard has no namespace records, so the path names it). Without a namespace the project goes
 * into the creating user's own. GitLab's {@code description} and {@code default_branch} are kept as given, and
 * Jobyard's {@code repository_url} names the git repository the project's jobs build (none: the jobs run without a
 * checkout).
 */
public final class CreateProjectEndpoint implements Endpoint {
    private final ProjectsUseCase projects;
    private final WebUrls urls;

    public CreateProjectEndpoint(ProjectsUseCase projects, WebUrls urls) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        String name = params.text("name").filter(n -> !n.isBlank()).orElse(null);
        String path = params.text("path").filter(p -> !p.isBlank()).orElse(null);
        if (name == null && path == null) {
            throw new InvalidParameterException("name, path are missing, at least one parameter must be provided");
        }
        Visibility visibility = params.text("visibility").filter(v -> !v.isEmpty())
                .map(v -> Visibility.fromWireName(v).orElseThrow(() -> AdminParams.notAValidValue("visibility")))
                .orElse(null);
        String namespace = params.text("namespace_path").filter(n -> !n.isBlank()).orElse(null);
        boolean publicJobs = params.bool("public_jobs").orElse(true);
        Project project = projects.createProject(request.actor(), new NewProject(name == null ? path : name,
                path == null ? pathFrom(name) : path, namespace, visibility, publicJobs,
                params.text("description").orElse(null),
                params.text("default_branch").filter(b -> !b.isEmpty()).orElse(null),
                params.text("repository_url").filter(u -> !u.isEmpty()).orElse(null)));
        return Reply.Json.created(ProjectJson.from(project, urls));
    }

    /** GitLab's path for a project given only a name: lower case, other characters runs of '-'. */
    private static String pathFrom(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.]+", "-").replaceAll("^[-.]+|[-.]+$", "");
    }
}
