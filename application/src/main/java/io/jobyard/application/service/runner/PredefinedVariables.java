package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.GitLabApiLevel;
import io.jobyard.application.port.in.runner.JobRequestPayload.Variable;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The predefined CI/CD variables of a job, in GitLab's order and with GitLab's value rules and flags: what
 * {@code Ci::Build#variables} puts before the job's own ({@code persisted_variables}, then
 * {@code Gitlab::Ci::Variables::Builder#scoped_variables}: the job's, {@code Project#predefined_variables},
 * {@code Builder::Pipeline#predefined_variables}, {@code Ci::Runner#predefined_variables}), and the user's, which GitLab
 * puts after them.
 *
 * <p>Left out are the variables whose subject Jobyard does not have: the container registry and dependency proxy
 * ({@code CI_REGISTRY*}, {@code CI_DEPENDENCY_PROXY_*}), Pages, SSH ({@code CI_SERVER_SHELL_SSH_*}), namespace records
 * ({@code CI_PROJECT_NAMESPACE_ID}), repository analysis ({@code CI_PROJECT_REPOSITORY_LANGUAGES}), external
 * authorization labels, templates ({@code CI_TEMPLATE_REGISTRY_HOST}), environments, merge requests, triggers,
 * schedules, parallel jobs, Kubernetes and id tokens. GitLab sends a variable whose value it does not have with a
 * null value ({@code CI_PROJECT_DESCRIPTION} of a project without one, {@code CI_PIPELINE_NAME} of a pipeline without
 * {@code workflow:name}); so does Jobyard.
 */
final class PredefinedVariables {
    /** GitLab's {@code iso8601} for times: UTC, whole seconds, {@code Z}. */
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ISO_INSTANT;
    /** Commit dates keep the committer's offset, as {@code Commit#timestamp} ({@code xmlschema}) does. */
    private static final DateTimeFormatter OFFSET_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    /** {@code Builder::Pipeline::MAX_COMMIT_MESSAGE_SIZE_IN_BYTES}: longer messages are cut, and say so. */
    static final int MAX_COMMIT_MESSAGE_BYTES = 100_000;
    /** {@code Commit#no_commit_message}: the title GitLab gives a commit whose message is blank. */
    static final String NO_COMMIT_MESSAGE = "No commit message";
    /** GitLab's {@code .gitlab-ci.yml} default ({@code ci_config_path_or_default}); Jobyard has no other path. */
    static final String CONFIG_PATH = ".gitlab-ci.yml";
    /**
     * {@code Gitlab::Utils::Job.group_name}: a trailing matrix ({@code [a, b]}) or parallel ({@code 1/3}) suffix, up
     * to three of them. Ruby's {@code \b} in a character class is a backspace.
     */
    private static final Pattern GROUP_SUFFIX =
            Pattern.compile("(?:[\\x08\\s:]+(?:(?:\\[.*\\])|(?:\\d+[\\s:/\\\\]+\\d+))){1,3}\\s*\\z");

    private PredefinedVariables() {
    }

    /**
     * Everything GitLab sends before the job's own variables.
     *
     * @param repoUrl {@code git_info.repo_url}, which {@code CI_REPOSITORY_URL} repeats
     */
    static List<Variable> beforeJobVariables(Job job, String token, Runner runner, Project project,
                                             Pipeline pipeline, RunnerSettings settings, String repoUrl) {
        List<Variable> vars = new ArrayList<>();
        String projectUrl = settings.serverUrl() + "/" + project.fullPath();
        persisted(vars, job, token, pipeline, projectUrl, repoUrl);
        job(vars, job);
        project(vars, project, settings, projectUrl);
        pipeline(vars, job, pipeline);
        runner(vars, runner);
        return vars;
    }

    /** {@code Builder#user_variables}: who runs the pipeline; GitLab puts them after the job's own variables. */
    static List<Variable> user(User user) {
        if (user == null) {
            return List.of();
        }
        List<Variable> vars = new ArrayList<>();
        add(vars, "GITLAB_USER_ID", user.id().toString());
        add(vars, "GITLAB_USER_EMAIL", user.email());
        add(vars, "GITLAB_USER_LOGIN", user.username());
        add(vars, "GITLAB_USER_NAME", user.name());
        return vars;
    }

    /** {@code Ci::Pipeline#persisted_variables} and {@code Ci::Build#persisted_variables}. */
    private static void persisted(List<Variable> vars, Job job, String token, Pipeline pipeline, String projectUrl,
                                  String repoUrl) {
        add(vars, "CI_PIPELINE_ID", pipeline.id().toString());
        add(vars, "CI_PIPELINE_URL", projectUrl + "/-/pipelines/" + pipeline.id());
        add(vars, "CI_JOB_ID", job.id().toString());
        add(vars, "CI_JOB_URL", projectUrl + "/-/jobs/" + job.id());
        // The job token is the one secret here: the runner masks it in the log.
        vars.add(new Variable("CI_JOB_TOKEN", token, false, true, false, false));
        add(vars, "CI_JOB_STARTED_AT", job.startedAt() == null ? null : utc(job.startedAt()));
        add(vars, "CI_JOB_STARTED_AT_SLUG", job.startedAt() == null ? null : slugify(utc(job.startedAt())));
        vars.add(new Variable("CI_REPOSITORY_URL", repoUrl, false, false, false, false));
    }

    /** {@code Builder#predefined_variables}: the job's name and stage. */
    private static void job(List<Variable> vars, Job job) {
        add(vars, "CI_JOB_NAME", job.name());
        add(vars, "CI_JOB_NAME_SLUG", slugify(job.name()));
        add(vars, "CI_JOB_GROUP_NAME", groupName(job.name()));
        add(vars, "CI_JOB_STAGE", job.stage());
        if (job.spec().when() == WhenCondition.MANUAL || job.spec().when() == WhenCondition.DELAYED) {
            // Ci::Processable::ACTIONABLE_WHEN: manual and delayed jobs are actions.
            add(vars, "CI_JOB_MANUAL", "true");
        }
        add(vars, "CI_NODE_TOTAL", "1");
    }

    /** {@code Project#predefined_variables}: the server, then the project, then the API roots. */
    private static void project(List<Variable> vars, Project project, RunnerSettings settings, String projectUrl) {
        URI server = settings.externalUrl();
        int port = port(server);
        boolean defaultPort = port == ("https".equals(server.getScheme()) ? 443 : 80);
        add(vars, "CI", "true");
        add(vars, "GITLAB_CI", "true");
        add(vars, "CI_SERVER_FQDN", defaultPort ? server.getHost() : server.getHost() + ":" + port);
        add(vars, "CI_SERVER_URL", settings.serverUrl());
        add(vars, "CI_SERVER_HOST", server.getHost());
        add(vars, "CI_SERVER_PORT", Integer.toString(port));
        add(vars, "CI_SERVER_PROTOCOL", server.getScheme());
        add(vars, "CI_SERVER_NAME", "GitLab");
        add(vars, "CI_SERVER_VERSION", GitLabApiLevel.VERSION);
        add(vars, "CI_SERVER_VERSION_MAJOR", Integer.toString(GitLabApiLevel.MAJOR));
        add(vars, "CI_SERVER_VERSION_MINOR", Integer.toString(GitLabApiLevel.MINOR));
        add(vars, "CI_SERVER_VERSION_PATCH", Integer.toString(GitLabApiLevel.PATCH));
        add(vars, "CI_SERVER_REVISION", GitLabApiLevel.REVISION);

        // GitLab's free edition licenses no features: the list is empty, and sent.
        add(vars, "GITLAB_FEATURES", "");
        add(vars, "CI_PROJECT_ID", project.id().toString());
        add(vars, "CI_PROJECT_NAME", project.path());
        add(vars, "CI_PROJECT_TITLE", project.name());
        add(vars, "CI_PROJECT_DESCRIPTION", project.description());
        add(vars, "CI_PROJECT_PATH", project.fullPath());
        add(vars, "CI_PROJECT_PATH_SLUG", slugify(project.fullPath()));
        add(vars, "CI_PROJECT_NAMESPACE", project.namespacePath());
        add(vars, "CI_PROJECT_ROOT_NAMESPACE", project.namespacePath().split("/", 2)[0]);
        add(vars, "CI_PROJECT_URL", projectUrl);
        add(vars, "CI_PROJECT_VISIBILITY", project.visibility().wireName());
        add(vars, "CI_DEFAULT_BRANCH", project.effectiveDefaultBranch());
        add(vars, "CI_CONFIG_PATH", CONFIG_PATH);

        add(vars, "CI_API_V4_URL", settings.serverUrl() + "/api/v4");
        add(vars, "CI_API_GRAPHQL_URL", settings.serverUrl() + "/api/graphql");
    }

    /** {@code Builder::Pipeline#predefined_variables}: the pipeline, its commit, and its tag. */
    private static void pipeline(List<Variable> vars, Job job, Pipeline pipeline) {
        add(vars, "CI_PIPELINE_IID", Long.toString(pipeline.iid()));
        add(vars, "CI_PIPELINE_SOURCE", pipeline.source().wireName());
        add(vars, "CI_PIPELINE_CREATED_AT", utc(pipeline.createdAt()));
        // workflow:name is not supported, so no pipeline has a name; GitLab sends the key with a null value.
        add(vars, "CI_PIPELINE_NAME", null);

        Commit commit = pipeline.commit();
        String message = commit.message();
        boolean truncated = message.getBytes(StandardCharsets.UTF_8).length > MAX_COMMIT_MESSAGE_BYTES;
        String title = fullTitle(message);
        String description = description(message, title);
        add(vars, "CI_COMMIT_SHA", commit.sha());
        add(vars, "CI_COMMIT_SHORT_SHA", commit.shortId());
        add(vars, "CI_COMMIT_BEFORE_SHA", pipeline.effectiveBeforeSha());
        add(vars, "CI_COMMIT_REF_NAME", job.ref());
        add(vars, "CI_COMMIT_REF_SLUG", slugify(job.ref()));
        if (!job.tag()) {
            add(vars, "CI_COMMIT_BRANCH", job.ref());
        }
        add(vars, "CI_COMMIT_MESSAGE", truncated ? truncate(message) : message);
        add(vars, "CI_COMMIT_MESSAGE_IS_TRUNCATED", Boolean.toString(truncated));
        add(vars, "CI_COMMIT_TITLE", truncated ? truncate(title) : title);
        add(vars, "CI_COMMIT_DESCRIPTION", truncated ? truncate(description) : description);
        // Jobyard has no protected branches or tags.
        add(vars, "CI_COMMIT_REF_PROTECTED", "false");
        add(vars, "CI_COMMIT_TIMESTAMP", commit.committedDate() == null ? ""
                : commit.committedDate().truncatedTo(ChronoUnit.SECONDS).format(OFFSET_SECONDS));
        add(vars, "CI_COMMIT_AUTHOR", commit.authorName() != null && commit.authorEmail() != null
                ? commit.authorName() + " <" + commit.authorEmail() + ">"
                : "");
        if (job.tag()) {
            add(vars, "CI_COMMIT_TAG", job.ref());
            // A tag Jobyard is told of carries no annotation: a lightweight tag's message is empty.
            add(vars, "CI_COMMIT_TAG_MESSAGE", "");
        }
    }

    /** {@code Ci::Runner#predefined_variables}; the tags as Ruby prints an array of strings. */
    private static void runner(List<Variable> vars, Runner runner) {
        add(vars, "CI_RUNNER_ID", runner.id().toString());
        add(vars, "CI_RUNNER_DESCRIPTION", runner.description());
        add(vars, "CI_RUNNER_TAGS", runner.tags().stream()
                .map(tag -> "\"" + tag.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]")));
    }

    /**
     * {@code Commit#full_title}: the message's first line, or GitLab's "No commit message" for a blank message.
     */
    static String fullTitle(String message) {
        if (message.isBlank()) {
            return NO_COMMIT_MESSAGE;
        }
        return message.split("[\\r\\n]", 2)[0];
    }

    /**
     * {@code Commit#description}: the whole message when its title is 100 characters or longer, else what follows the
     * first line, without one trailing line break; empty for a one-line or blank message.
     */
    static String description(String message, String fullTitle) {
        if (message.isBlank()) {
            return "";
        }
        if (fullTitle.length() >= 100) {
            return message;
        }
        String[] parts = message.split("[\\r\\n]", 2);
        return parts.length < 2 ? "" : chomp(parts[1]);
    }

    /** {@code Gitlab::Utils::Job.group_name}. */
    static String groupName(String name) {
        return GROUP_SUFFIX.matcher(name).replaceFirst("").strip();
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

    /**
     * The first {@value #MAX_COMMIT_MESSAGE_BYTES} bytes of {@code text} in UTF-8, as GitLab's {@code byteslice};
     * a character the cut would split is left out whole rather than sent as invalid UTF-8.
     */
    static String truncate(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_COMMIT_MESSAGE_BYTES) {
            return text;
        }
        int end = MAX_COMMIT_MESSAGE_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String chomp(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n") || text.endsWith("\r")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
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
