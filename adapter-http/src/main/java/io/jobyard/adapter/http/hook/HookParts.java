package io.jobyard.adapter.http.hook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.User;

import java.net.URI;
import java.util.List;

/** The parts GitLab's job and pipeline hooks share: {@code hook_attrs} of users, projects and runners. */
final class HookParts {
    private HookParts() {
    }

    /**
     * {@code User#hook_attrs}. GitLab sends the public email or {@code [REDACTED]}; Jobyard users have no public
     * email. Jobyard keeps no avatars.
     */
    @JsonPropertyOrder({"id", "name", "username", "avatar_url", "email"})
    record UserHookJson(@JsonProperty("id") long id, @JsonProperty("name") String name,
                        @JsonProperty("username") String username, @JsonProperty("avatar_url") String avatarUrl,
                        @JsonProperty("email") String email) {
        static UserHookJson from(User user) {
            return user == null ? null
                    : new UserHookJson(user.id().value(), user.name(), user.username(), null, "[REDACTED]");
        }
    }

    /** The runner of {@code Gitlab::DataBuilder::Build#build_runner} and the pipeline builder's. */
    @JsonPropertyOrder({"id", "description", "runner_type", "active", "is_shared", "tags"})
    record RunnerHookJson(@JsonProperty("id") long id, @JsonProperty("description") String description,
                          @JsonProperty("runner_type") String runnerType, @JsonProperty("active") boolean active,
                          @JsonProperty("is_shared") boolean shared, @JsonProperty("tags") List<String> tags) {
        static RunnerHookJson from(Runner runner) {
            return runner == null ? null : new RunnerHookJson(runner.id().value(), runner.description(),
                    runner.type().wireName(), runner.active(), runner.type() == RunnerType.INSTANCE_TYPE,
                    runner.tags());
        }
    }

    /**
     * {@code Project#hook_attrs(backward: false)}. Jobyard serves no git: the URLs are the repository the project's
     * jobs clone when one is named, else GitLab's shapes (as the job payload's {@code git_info} has them).
     */
    @JsonPropertyOrder({"id", "name", "description", "web_url", "avatar_url", "git_ssh_url", "git_http_url",
            "namespace", "visibility_level", "path_with_namespace", "default_branch", "ci_config_path"})
    record ProjectHookAttrsJson(@JsonProperty("id") long id, @JsonProperty("name") String name,
                                @JsonProperty("description") String description,
                                @JsonProperty("web_url") String webUrl, @JsonProperty("avatar_url") String avatarUrl,
                                @JsonProperty("git_ssh_url") String gitSshUrl,
                                @JsonProperty("git_http_url") String gitHttpUrl,
                                @JsonProperty("namespace") String namespace,
                                @JsonProperty("visibility_level") int visibilityLevel,
                                @JsonProperty("path_with_namespace") String pathWithNamespace,
                                @JsonProperty("default_branch") String defaultBranch,
                                @JsonProperty("ci_config_path") String ciConfigPath) {
        static ProjectHookAttrsJson from(Project project, WebUrls urls) {
            String[] namespace = project.namespacePath().split("/");
            return new ProjectHookAttrsJson(project.id().value(), project.name(), project.description(),
                    urls.project(project), null, sshUrl(project, urls), httpUrl(project, urls),
                    namespace[namespace.length - 1], project.visibility().level(), project.fullPath(),
                    project.effectiveDefaultBranch(), null);
        }
    }

    static String httpUrl(Project project, WebUrls urls) {
        return project.repository() != null ? project.repository().value() : urls.project(project) + ".git";
    }

    static String sshUrl(Project project, WebUrls urls) {
        if (project.repository() != null) {
            return project.repository().value();
        }
        return "git@" + URI.create(urls.baseUrl()).getHost() + ":" + project.fullPath() + ".git";
    }

    /** GitLab's {@code full_name}: the namespace and the project, " / " between them. */
    static String fullName(Project project) {
        return String.join(" / ", project.namespacePath().split("/")) + " / " + project.name();
    }
}
