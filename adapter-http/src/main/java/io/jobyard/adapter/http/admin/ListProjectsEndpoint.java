package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.KeysetCursor;
import io.jobyard.adapter.http.endpoint.KeysetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectFilter;
import io.jobyard.application.port.in.admin.ProjectsUseCase.ProjectView;
import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.domain.project.Visibility;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /projects}: {@code visibility}, {@code search}, {@code membership}, {@code owned} and offset paging with
 * totals or keyset pages ({@code pagination=keyset}, GitLab's id-ordered form), newest first (GitLab's default order, {@code created_at desc}, is id order here). Signed-in callers get
 * {@code ProjectWithAccess}, anonymous ones the plain project.
 */
public final class ListProjectsEndpoint implements Endpoint {
    private final ProjectsUseCase projects;
    private final WebUrls urls;

    public ListProjectsEndpoint(ProjectsUseCase projects, WebUrls urls) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        Visibility visibility = params.text("visibility").filter(v -> !v.isEmpty())
                .map(v -> Visibility.fromWireName(v).orElseThrow(() -> AdminParams.notAValidValue("visibility")))
                .orElse(null);
        ProjectFilter filter = new ProjectFilter(visibility, AdminParams.optionalText(params, "search"),
                AdminParams.flag(params, "membership"), AdminParams.flag(params, "owned"));
        boolean signedIn = request.actor().user().isPresent();
        if (KeysetPageReply.requested(request)) {
            KeysetPage<ProjectView> page = projects.listProjects(request.actor(), filter,
                    KeysetPageReply.byId(request));
            String next = page.hasNext() ? KeysetCursor.encodeId(page.items().get(page.items().size() - 1).project()
                    .id().value()) : null;
            return KeysetPageReply.of(body(page.items(), signedIn), next, request);
        }
        OffsetPaging paging = OffsetPaging.read(params);
        ListPage<ProjectView> page = projects.listProjects(request.actor(), filter, paging.pagination());
        return OffsetPageReply.of(body(page.items(), signedIn), page.hasNext(), page.total(), paging, request);
    }

    private List<?> body(List<ProjectView> views, boolean signedIn) {
        return views.stream()
                .map(view -> signedIn ? ProjectWithAccessJson.from(view, urls) : ProjectJson.from(view.project(), urls))
                .toList();
    }
}
