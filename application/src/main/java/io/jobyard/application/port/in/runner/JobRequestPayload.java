package io.jobyard.application.port.in.runner;

import java.util.List;
import java.util.Objects;

/**
 * The job a runner receives from {@code POST /api/v4/jobs/request} (GitLab's {@code JobRequest::Response}, contract
 * §5.1). Component names map to the snake_case JSON keys named in each comment; the HTTP layer serializes them in this
 * order. Nullable components are serialized as {@code null}.
 *
 * @param id            {@code id}
 * @param token         {@code token}: the job's CI token in clear, handed out this once (only its digest is stored)
 * @param allowGitFetch {@code allow_git_fetch}
 * @param jobInfo       {@code job_info}
 * @param gitInfo       {@code git_info}
 * @param runnerInfo    {@code runner_info}
 * @param variables     {@code variables}: predefined CI_* variables, then the job's, the user's and the pipeline's, in
 *                      GitLab's order (a later entry with the same key wins in the runner)
 * @param steps         {@code steps}
 * @param image         {@code image}, or null when the job names none (the runner's default applies)
 * @param services      {@code services}
 * @param artifacts     {@code artifacts}
 * @param cache         {@code cache}: always empty, Jobyard's job definitions carry no {@code cache:}
 * @param dependencies  {@code dependencies}
 * @param features      {@code features}
 */
public record JobRequestPayload(
        long id,
        String token,
        boolean allowGitFetch,
        JobInfo jobInfo,
        GitInfo gitInfo,
        RunnerInfo runnerInfo,
        List<Variable> variables,
        List<Step> steps,
        Image image,
        List<Image> services,
        List<Artifact> artifacts,
        List<Cache> cache,
        List<Dependency> dependencies,
        Features features) {

    public JobRequestPayload {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(jobInfo, "jobInfo");
        Objects.requireNonNull(gitInfo, "gitInfo");
        Objects.requireNonNull(runnerInfo, "runnerInfo");
        Objects.requireNonNull(features, "features");
        variables = List.copyOf(variables);
        steps = List.copyOf(steps);
        services = List.copyOf(services);
        artifacts = List.copyOf(artifacts);
        cache = List.copyOf(cache);
        dependencies = List.copyOf(dependencies);
    }

    /** The variable with this key that the runner will use (the last one), if any. */
    public java.util.Optional<Variable> variable(String key) {
        for (int i = variables.size() - 1; i >= 0; i--) {
            if (variables.get(i).key().equals(key)) {
                return java.util.Optional.of(variables.get(i));
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return "JobRequestPayload[id=" + id + ", name=" + jobInfo.name() + "]";
    }

    /**
     * {@code job_info}: {@code id, name, stage, pipeline_id, project_id, project_name, project_full_path}, then GitLab's
     * {@code namespace_id, root_namespace_id, organization_id, instance_id, instance_uuid} (always null: Jobyard has no
     * namespace or organization records and no instance identity), {@code user_id}, {@code scoped_user_id} (always
     * null: no composite identities) and {@code time_in_queue_seconds}. GitLab's queue metrics
     * ({@code project_jobs_running_on_instance_runners_count, queue_size, queue_depth}) are not sent.
     *
     * @param userId null when the job has no user
     */
    public record JobInfo(long id, String name, String stage, long pipelineId, long projectId, String projectName,
                          String projectFullPath, Long userId, long timeInQueueSeconds) {
    }

    /**
     * {@code git_info}: {@code repo_url, ref, sha, before_sha, ref_type, refspecs, depth, repo_object_format,
     * protected}.
     *
     * @param repoUrl          the repository the job clones: the project's or pipeline's named repository, else
     *                         {@code https://gitlab-ci-token:<job token>@host/<project path>.git}, where GitLab would
     *                         serve the project's (Jobyard serves none; such jobs get {@code GIT_STRATEGY=none})
     * @param refType          {@code "branch"} or {@code "tag"}
     * @param repoObjectFormat {@code "sha1"} or {@code "sha256"}
     * @param isProtected      {@code protected}: whether the ref is protected (never, in Jobyard)
     */
    public record GitInfo(String repoUrl, String ref, String sha, String beforeSha, String refType,
                          List<String> refspecs, int depth, String repoObjectFormat, boolean isProtected) {
        public GitInfo {
            refspecs = List.copyOf(refspecs);
        }

        @Override
        public String toString() {
            return "GitInfo[ref=" + ref + ", sha=" + sha + "]";
        }
    }

    /** {@code runner_info}: {@code timeout} in seconds; {@code runner_session_url} is always null in Jobyard. */
    public record RunnerInfo(int timeout) {
    }

    /**
     * One entry of {@code variables}: {@code key, value, public}, {@code file: true} when set, {@code masked},
     * {@code raw: true} when set (GitLab's {@code Collection::Item} order; it omits {@code file} and {@code raw} when
     * false).
     *
     * @param value null where GitLab sends null: a value it does not have (a project without a description)
     */
    public record Variable(String key, String value, boolean isPublic, boolean masked, boolean file, boolean raw) {
        public Variable {
            Objects.requireNonNull(key, "key");
        }

        /** A predefined variable: public, shown in clear. */
        public static Variable predefined(String key, String value) {
            return new Variable(key, value, true, false, false, false);
        }

        @Override
        public String toString() {
            return "Variable[" + key + (masked ? "=<masked>" : "=" + value) + "]";
        }
    }

    /**
     * One entry of {@code steps}: {@code name} ("script" or "after_script"), {@code script}, {@code timeout} (seconds),
     * {@code when} ("on_success" / "always"), {@code allow_failure}.
     */
    public record Step(String name, List<String> script, int timeout, String when, boolean allowFailure) {
        public Step {
            script = List.copyOf(script);
        }
    }

    /**
     * {@code image} or one entry of {@code services}: {@code name}; Jobyard's job definitions carry no entrypoint,
     * ports, alias or command, so the HTTP layer writes {@code "entrypoint": null, "ports": []} beside it.
     */
    public record Image(String name) {
        public Image {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * One entry of {@code artifacts}: {@code name, untracked, paths, exclude, when, expire_in, artifact_type,
     * artifact_format}. The archive comes first (when the job collects paths or untracked files), then one entry
     * per report, as {@code Ci::BuildRunnerPresenter#artifacts} builds them.
     *
     * @param name      null where the configuration names none (the archive's {@code artifacts:name})
     * @param untracked null when left out: GitLab omits the key ({@code expose_nil: false})
     * @param exclude   null when left out, as for untracked
     * @param when      null where the configuration says nothing ({@code artifacts:when})
     * @param expireIn  null where the configuration says nothing ({@code artifacts:expire_in})
     */
    public record Artifact(String name, Boolean untracked, List<String> paths, List<String> exclude, String when,
                           String expireIn, String artifactType, String artifactFormat) {
        public Artifact {
            paths = List.copyOf(paths);
            exclude = exclude == null ? null : List.copyOf(exclude);
        }
    }

    /** One entry of {@code cache}: {@code key, untracked, paths, policy, when, fallback_keys}. */
    public record Cache(String key, boolean untracked, List<String> paths, String policy, String when,
                        List<String> fallbackKeys) {
        public Cache {
            paths = List.copyOf(paths);
            fallbackKeys = List.copyOf(fallbackKeys);
        }
    }

    /**
     * One entry of {@code dependencies}: {@code id, name, token}, and {@code artifacts_file: {filename, size}} only when
     * the dependency's archive can be downloaded (the key is absent otherwise).
     *
     * @param token         the token of the job being run (not of the dependency): the runner downloads with it
     * @param artifactsFile null when the key is absent
     */
    public record Dependency(long id, String name, String token, ArtifactFile artifactsFile) {
        @Override
        public String toString() {
            return "Dependency[" + id + " " + name + "]";
        }
    }

    /** {@code {filename, size}}. */
    public record ArtifactFile(String filename, long size) {
    }

    /** {@code features}: {@code trace_sections} and the {@code failure_reasons} the runner may report. */
    public record Features(boolean traceSections, List<String> failureReasons) {
        public Features {
            failureReasons = List.copyOf(failureReasons);
        }
    }
}
