package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.PlayVariables;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.ProjectsUseCase;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobActionsUseCase;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.trace.ReadTraceUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.JobyardException;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobVariable;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The job page ({@code /:project/-/jobs/:id}), its raw log ({@code .../raw}), the log's next lines for a live
 * follower ({@code .../log?offset=&line=}) and the job's actions as forms ({@code .../retry}, {@code cancel},
 * {@code play}, {@code erase}, {@code artifacts/keep}), at GitLab's paths. What the visitor may see and do is the use
 * cases' to decide, exactly as through the API.
 */
public final class JobPageEndpoints {
    private final Pages pages;
    private final GetJobUseCase jobs;
    private final ReadTraceUseCase traces;
    private final JobActionsUseCase actions;
    /** Null: every signed-in visitor sees the actions (the use cases still refuse whom they refuse). */
    private final ProjectsUseCase administer;

    public JobPageEndpoints(Pages pages, GetJobUseCase jobs, ReadTraceUseCase traces, JobActionsUseCase actions,
                            ProjectsUseCase administer) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.traces = Objects.requireNonNull(traces, "traces");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.administer = administer;
    }

    /** The project's pages' path ({@code /acme/app}). */
    static String projectUrl(JobView view) {
        return "/" + view.project().fullPath();
    }

    public Endpoint page() {
        return request -> {
            ProjectRef project = Pages.project(request);
            JobId id = Pages.jobId(request, "id");
            JobView view = jobs.get(request.actor(), project, id);
            Download log = traces.readTrace(request.actor(), project, id);
            Long end = request.params().integer("log_end").map(n -> n.signum() < 0 ? 0L
                    : n.bitLength() > 62 ? Long.MAX_VALUE : n.longValue()).orElse(null);
            JobLog part = JobLogParts.before(log, end);
            String projectUrl = projectUrl(view);
            String earlier = part.fromStart() ? null
                    : projectUrl + "/-/jobs/" + id.value() + "?log_end=" + part.startOffset();
            String follow = view.job().status().isComplete() || end != null ? null
                    : "/api/v4/projects/" + view.project().id().value() + "/jobs/" + id.value() + "/trace";
            JobPageModel model = new JobPageModel(pages.frame(request, view.job().name() + " (#" + id.value() + ")"),
                    view, projectUrl, part, log.size(), earlier, follow, mayAct(request.actor(), project),
                    request.now());
            return pages.page("job.jte", model);
        };
    }

    /** GitLab's raw log: the stored bytes as they are, {@code text/plain; charset=utf-8}, inline. */
    public Endpoint raw() {
        return request -> {
            ProjectRef project = Pages.project(request);
            JobId id = Pages.jobId(request, "id");
            jobs.get(request.actor(), project, id);
            Download log = traces.readTrace(request.actor(), project, id);
            return new Reply.Stream(log, Reply.DownloadStyle.RAW_LOG, "inline; filename=\"job.log\"");
        };
    }

    /**
     * The lines a live follower has not seen, as HTML ({@code X-Log-Offset}: where to ask from next,
     * {@code X-Log-Next-Line}: the next line's number, {@code X-Job-Status}: the job's status now).
     */
    public Endpoint fragment() {
        return request -> {
            ProjectRef project = Pages.project(request);
            JobId id = Pages.jobId(request, "id");
            JobView view = jobs.get(request.actor(), project, id);
            Download log = traces.readTrace(request.actor(), project, id);
            long offset = request.params().integer("offset").filter(n -> n.signum() >= 0 && n.bitLength() < 63)
                    .map(java.math.BigInteger::longValue).orElse(0L);
            int line = request.params().integer("line").filter(n -> n.signum() > 0 && n.bitLength() < 31)
                    .map(java.math.BigInteger::intValue).orElse(1);
            JobLog part = JobLogParts.after(log, offset, line, view.job().status().isComplete());
            Map<String, String> headers = Pages.pageHeaders();
            headers.put("X-Log-Offset", Long.toString(part.endOffset()));
            headers.put("X-Log-Next-Line", Integer.toString(line + part.lines().size()));
            headers.put("X-Log-Complete", Boolean.toString(view.job().status().isComplete()
                    && part.endOffset() >= log.size()));
            headers.put("X-Job-Status", Views.label(view.job().status()));
            return new Reply.Bytes(200, Pages.HTML, pages.templates().render("lognodes.jte", part.nodes()), headers);
        };
    }

    /** The job's artifacts archive, as the API's download streams it. */
    public Endpoint download(ArtifactsUseCase artifacts) {
        return request -> {
            Download archive = artifacts.archive(request.actor(), Pages.project(request), Pages.jobId(request, "id"));
            return new Reply.Stream(archive, Reply.DownloadStyle.ARCHIVE,
                    ContentDisposition.attachment(archive.filename()));
        };
    }

    /** A job action's form: the job page it leads to (a retry's new job) or an error page. */
    public Endpoint action(String which) {
        return request -> {
            ProjectRef project = Pages.project(request);
            JobId id = Pages.jobId(request, "id");
            Actor actor = request.actor();
            JobView result = switch (which) {
                case "retry" -> actions.retry(actor, project, id);
                case "cancel" -> actions.cancel(actor, project, id, false);
                case "erase" -> actions.erase(actor, project, id);
                case "keep" -> actions.keepArtifacts(actor, project, id);
                case "play" -> {
                    List<JobVariable> variables = PlayVariables.read(request.params());
                    yield actions.play(actor, project, id, variables.isEmpty() ? null : variables);
                }
                default -> throw new IllegalArgumentException(which);
            };
            return pages.redirect(projectUrl(result) + "/-/jobs/" + result.job().id().value());
        };
    }

    /** Developer or more in the project, or an administrator: who GitLab shows the job's buttons to. */
    private boolean mayAct(Actor actor, ProjectRef project) {
        if (!(actor instanceof Actor.UserActor user) || !user.canWrite()) {
            return false;
        }
        if (user.identity().admin() || administer == null) {
            return true;
        }
        try {
            Role role = administer.getProject(actor, project).role();
            return Optional.ofNullable(role).map(r -> r.atLeast(Role.DEVELOPER)).orElse(false);
        } catch (JobyardException cannotTell) {
            return false;
        }
    }
}
