package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.JobRequestPayload.Variable;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The predefined CI/CD variables GitLab gives every job, limited to those Jobyard can fill truthfully: it keeps no
 * repositories (no default branch, no before-sha), no container registry, no groups beyond a path, and no protected
 * refs, so the variables describing those are left out rather than invented.
 */
final class PredefinedVariables {
    /** GitLab's {@code iso8601} for times: UTC, whole seconds, {@code Z}. */
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ISO_INSTANT;
    /** Commit dates keep the committer's offset, as {@code CI_COMMIT_TIMESTAMP} does. */
    private static final DateTimeFormatter OFFSET_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private PredefinedVariables() {
    }

    static List<Variable> of(Job job, String token, Runner runner, Project project, Pipeline pipeline, User user,
                             RunnerSettings settings, String repoUrl) {
        String serverUrl = settings.serverUrl();
        URI server = settings.externalUrl();
        String projectUrl = serverUrl + "/" + project.fullPath();
        List<Variable> vars = new ArrayList<>();

        add(vars, "CI", "true");
        add(vars, "GITLAB_CI", "true");
        add(vars, "CI_SERVER_URL", serverUrl);
        add(vars, "CI_SERVER_HOST", server.getHost());
        add(vars, "CI_SERVER_PORT", Integer.toString(port(server)));
        add(vars, "CI_SERVER_PROTOCOL", server.getScheme());
        add(vars, "CI_API_V4_URL", serverUrl + "/api/v4");

        add(vars, "CI_JOB_ID", job.id().toString());
        add(vars, "CI_JOB_NAME", job.name());
        add(vars, "CI_JOB_STAGE", job.stage());
        add(vars, "CI_JOB_URL", projectUrl + "/-/jobs/" + job.id());
        if (job.startedAt() != null) {
            add(vars, "CI_JOB_STARTED_AT", utc(job.startedAt()));
        }
        if (job.spec().when() == WhenCondition.MANUAL) {
            add(vars, "CI_JOB_MANUAL", "true");
        }
        // The job token is the one secret here: the runner masks it in the log and keeps it out of the job's view.
        vars.add(new Variable("CI_JOB_TOKEN", token, false, true, false, false));
        vars.add(new Variable("CI_REPOSITORY_URL", repoUrl, false, false, false, false));
        add(vars, "CI_NODE_TOTAL", "1");

        add(vars, "CI_RUNNER_ID", runner.id().toString());
        add(vars, "CI_RUNNER_DESCRIPTION", runner.description());
        add(vars, "CI_RUNNER_TAGS", runner.tags().stream()
                .map(tag -> "\"" + tag.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]")));

        add(vars, "CI_PIPELINE_ID", pipeline.id().toString());
        add(vars, "CI_PIPELINE_IID", Long.toString(pipeline.iid()));
        add(vars, "CI_PIPELINE_SOURCE", pipeline.source().wireName());
        add(vars, "CI_PIPELINE_URL", projectUrl + "/-/pipelines/" + pipeline.id());
        add(vars, "CI_PIPELINE_CREATED_AT", utc(pipeline.createdAt()));

        add(vars, "CI_PROJECT_ID", project.id().toString());
        add(vars, "CI_PROJECT_NAME", project.path());
        add(vars, "CI_PROJECT_TITLE", project.name());
        add(vars, "CI_PROJECT_PATH", project.fullPath());
        add(vars, "CI_PROJECT_PATH_SLUG", slugify(project.fullPath()));
        add(vars, "CI_PROJECT_NAMESPACE", project.namespacePath());
        add(vars, "CI_PROJECT_ROOT_NAMESPACE", project.namespacePath().split("/", 2)[0]);
        add(vars, "CI_PROJECT_URL", projectUrl);
        add(vars, "CI_PROJECT_VISIBILITY", project.visibility().wireName());

        Commit commit = pipeline.commit();
        add(vars, "CI_COMMIT_SHA", commit.sha());
        add(vars, "CI_COMMIT_SHORT_SHA", commit.shortId());
        add(vars, "CI_COMMIT_REF_NAME", job.ref());
        add(vars, "CI_COMMIT_REF_SLUG", slugify(job.ref()));
        add(vars, job.tag() ? "CI_COMMIT_TAG" : "CI_COMMIT_BRANCH", job.ref());
        if (!commit.title().isEmpty()) {
            add(vars, "CI_COMMIT_TITLE", commit.title());
        }
        if (!commit.message().isEmpty()) {
            add(vars, "CI_COMMIT_MESSAGE", commit.message());
        }
        if (commit.authorName() != null && commit.authorEmail() != null) {
            add(vars, "CI_COMMIT_AUTHOR", commit.authorName() + " <" + commit.authorEmail() + ">");
        }
        if (commit.committedDate() != null) {
            add(vars, "CI_COMMIT_TIMESTAMP", commit.committedDate().truncatedTo(ChronoUnit.SECONDS)
                    .format(OFFSET_SECONDS));
        }

        if (user != null) {
            add(vars, "GITLAB_USER_ID", user.id().toString());
            add(vars, "GITLAB_USER_LOGIN", user.username());
            add(vars, "GITLAB_USER_NAME", user.name());
            if (user.email() != null) {
                add(vars, "GITLAB_USER_EMAIL", user.email());
            }
        }
        return vars;
    }

    /**
     * GitLab's {@code Gitlab::Utils.slugify}: lowercased, everything but a-z and 0-9 replaced by '-', cut to 63
     * characters, leading and trailing '-' removed. Used in URLs and host names, hence the limits.
     */
    static String slugify(String value) {
        String replaced = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
        String cut = replaced.length() > 63 ? replaced.substring(0, 63) : replaced;
        return cut.replaceAll("(\\A-+|-+\\z)", "");
    }

    private static String utc(Instant instant) {
        return UTC_SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static int port(URI server) {
        if (server.getPort() != -1) {
            return server.getPort();
        }
        return "https".equals(server.getScheme()) ? 443 : 80;
    }

    private static void add(List<Variable> vars, String key, String value) {
        vars.add(Variable.predefined(key, value));
    }
}
