package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.Project;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The list pages at GitLab's paths: {@code /} (projects), {@code /:project/-/jobs} (status filter, keyset pages),
 * {@code /:project/-/pipelines} and {@code /:project/-/pipelines/:id} (stages as columns). What is listed is what
 * the API lists to the same visitor: the same use cases decide.
 */
public final class ListPageEndpoints {
    static final int PER_PAGE = 20;
    /** GitLab's pipeline page shows every job; more than this many are listed on the pipeline's jobs page. */
    static final int PIPELINE_JOBS = 100;

    private final Pages pages;
    private final ProjectsUseCase administer;
    private final ListJobsUseCase listJobs;
    private final PipelinesUseCase pipelines;

    public ListPageEndpoints(Pages pages, ProjectsUseCase administer, ListJobsUseCase listJobs,
                             PipelinesUseCase pipelines) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.administer = Objects.requireNonNull(administer, "administer");
        this.listJobs = Objects.requireNonNull(listJobs, "listJobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    }

    public Endpoint projects() {
        return request -> {
            long page = pageNumber(request);
            ListPage<ProjectsUseCase.ProjectView> list = administer.listProjects(request.actor(),
                    ProjectsUseCase.ProjectFilter.NONE, new Pagination.Offset(page, PER_PAGE));
            String next = page * PER_PAGE < list.total() ? "/?page=" + (page + 1) : null;
            String previous = page > 1 ? "/?page=" + (page - 1) : null;
            return pages.page("projects.jte", new ListPageModels.Projects(pages.frame(request, "Projects"),
                    list.items(), next, previous));
        };
    }

    public Endpoint jobs() {
        return request -> {
            ProjectRef ref = Pages.project(request);
            Project project = administer.getProject(request.actor(), ref).project();
            JobStatus scope = request.params().text("scope").flatMap(ListPageEndpoints::status).orElse(null);
            JobId before = request.params().integer("before").filter(n -> n.signum() > 0 && n.bitLength() < 63)
                    .map(BigInteger::longValue).map(JobId::of).orElse(null);
            JobPage page = listJobs.listProjectJobs(request.actor(), new ListJobsUseCase.ProjectJobsQuery(ref,
                    scope == null ? Set.of() : Set.of(scope), new Pagination.Keyset(before, PER_PAGE)));
            String next = null;
            if (page.hasNext() && !page.jobs().isEmpty()) {
                long last = page.jobs().get(page.jobs().size() - 1).job().id().value();
                next = "/" + project.fullPath() + "/-/jobs?" + (scope == null ? "" : "scope="
                        + scope.name().toLowerCase(Locale.ROOT) + "&") + "before=" + last;
            }
            return pages.page("jobs.jte", new ListPageModels.Jobs(pages.frame(request, "Jobs · " + project.fullPath()),
                    project, page.jobs(), scope, Arrays.asList(JobStatus.values()), next));
        };
    }

    public Endpoint pipelineList() {
        return request -> {
            ProjectRef ref = Pages.project(request);
            long page = pageNumber(request);
            PipelinesUseCase.PipelinePage list = pipelines.list(request.actor(),
                    PipelinesUseCase.ListPipelinesQuery.all(ref, new Pagination.Offset(page, PER_PAGE)));
            String base = "/" + list.project().fullPath() + "/-/pipelines?page=";
            return pages.page("pipelines.jte", new ListPageModels.Pipelines(
                    pages.frame(request, "Pipelines · " + list.project().fullPath()), list.project(),
                    list.pipelines(), list.hasNext() ? base + (page + 1) : null, page > 1 ? base + (page - 1) : null));
        };
    }

    public Endpoint pipeline() {
        return request -> {
            ProjectRef ref = Pages.project(request);
            PipelineId id = Pages.pipelineId(request, "id");
            PipelinesUseCase.PipelineView view = pipelines.get(request.actor(), ref, id);
            JobPage jobs = listJobs.listPipelineJobs(request.actor(), new ListJobsUseCase.PipelineJobsQuery(ref, id,
                    Set.of(), false, new Pagination.Offset(1, PIPELINE_JOBS)));
            Map<String, List<JobView>> byStage = new LinkedHashMap<>();
            view.pipeline().stages().forEach(stage -> byStage.put(stage, new ArrayList<>()));
            List<JobView> sorted = new ArrayList<>(jobs.jobs());
            sorted.sort((a, b) -> Long.compare(a.job().id().value(), b.job().id().value()));
            for (JobView job : sorted) {
                byStage.computeIfAbsent(job.job().stage(), s -> new ArrayList<>()).add(job);
            }
            List<ListPageModels.Stage> stages = new ArrayList<>();
            byStage.forEach((name, list) -> {
                if (!list.isEmpty()) {
                    stages.add(new ListPageModels.Stage(name, list));
                }
            });
            return pages.page("pipeline.jte", new ListPageModels.PipelinePage(
                    pages.frame(request, "Pipeline #" + id.value()), view, stages));
        };
    }

    private static long pageNumber(ApiRequest request) {
        return request.params().integer("page").filter(n -> n.signum() > 0 && n.bitLength() < 40)
                .map(BigInteger::longValue).orElse(1L);
    }

    private static java.util.Optional<JobStatus> status(String text) {
        return Arrays.stream(JobStatus.values()).filter(s -> s.name().equalsIgnoreCase(text)).findFirst();
    }
}
