package io.jobyard.adapter.http.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.application.port.in.runner.JobRequestPayload;

import java.util.List;

/**
 * GitLab's {@code JobRequest::Response} (contract §5.1), the 201 body of {@code POST /jobs/request}: snake_case keys in
 * GitLab's order ({@code lib/api/entities/ci/job_request/*.rb}), absent values as {@code null}; left out when unset, as
 * GitLab leaves them out: {@code file}/{@code raw} of a variable, {@code untracked}/{@code exclude} of an artifact
 * ({@code expose_nil: false}), and a dependency's {@code artifacts_file}.
 */
@JsonPropertyOrder({"id", "token", "allow_git_fetch", "job_info", "git_info", "runner_info", "variables", "steps",
        "image", "services", "artifacts", "cache", "credentials", "features", "dependencies"})
record JobRequestJson(
        @JsonProperty("id") long id,
        @JsonProperty("token") String token,
        @JsonProperty("allow_git_fetch") boolean allowGitFetch,
        @JsonProperty("job_info") JobInfoJson jobInfo,
        @JsonProperty("git_info") GitInfoJson gitInfo,
        @JsonProperty("runner_info") RunnerInfoJson runnerInfo,
        @JsonProperty("variables") List<VariableJson> variables,
        @JsonProperty("steps") List<StepJson> steps,
        @JsonProperty("image") ImageJson image,
        @JsonProperty("services") List<ServiceJson> services,
        @JsonProperty("artifacts") List<ArtifactJson> artifacts,
        @JsonProperty("cache") List<CacheJson> cache,
        // Registry credentials: Jobyard has no container registry to log in to.
        @JsonProperty("credentials") List<Object> credentials,
        @JsonProperty("features") FeaturesJson features,
        @JsonProperty("dependencies") List<DependencyJson> dependencies) {

    static JobRequestJson from(JobRequestPayload payload) {
        return new JobRequestJson(payload.id(), payload.token(), payload.allowGitFetch(),
                JobInfoJson.from(payload.jobInfo()), GitInfoJson.from(payload.gitInfo()),
                new RunnerInfoJson(payload.runnerInfo().timeout(), null),
                payload.variables().stream().map(VariableJson::from).toList(),
                payload.steps().stream().map(StepJson::from).toList(),
                payload.image() == null ? null : ImageJson.from(payload.image()),
                payload.services().stream().map(ServiceJson::from).toList(),
                payload.artifacts().stream().map(ArtifactJson::from).toList(),
                payload.cache().stream().map(CacheJson::from).toList(),
                List.of(),
                new FeaturesJson(payload.features().traceSections(), payload.features().failureReasons()),
                payload.dependencies().stream().map(DependencyJson::from).toList());
    }

    /**
     * GitLab's namespace, organization and instance ids and the composite identity's {@code scoped_user_id} have no
     * subject in Jobyard: null, which is what GitLab sends for an id it does not have.
     */
    @JsonPropertyOrder({"id", "name", "stage", "pipeline_id", "project_id", "project_name", "project_full_path",
            "namespace_id", "root_namespace_id", "organization_id", "instance_id", "instance_uuid", "user_id",
            "scoped_user_id", "time_in_queue_seconds"})
    record JobInfoJson(
            @JsonProperty("id") long id,
            @JsonProperty("name") String name,
            @JsonProperty("stage") String stage,
            @JsonProperty("pipeline_id") long pipelineId,
            @JsonProperty("project_id") long projectId,
            @JsonProperty("project_name") String projectName,
            @JsonProperty("project_full_path") String projectFullPath,
            @JsonProperty("namespace_id") Long namespaceId,
            @JsonProperty("root_namespace_id") Long rootNamespaceId,
            @JsonProperty("organization_id") Long organizationId,
            @JsonProperty("instance_id") String instanceId,
            @JsonProperty("instance_uuid") String instanceUuid,
            @JsonProperty("user_id") Long userId,
            @JsonProperty("scoped_user_id") Long scopedUserId,
            @JsonProperty("time_in_queue_seconds") long timeInQueueSeconds) {

        static JobInfoJson from(JobRequestPayload.JobInfo info) {
            return new JobInfoJson(info.id(), info.name(), info.stage(), info.pipelineId(), info.projectId(),
                    info.projectName(), info.projectFullPath(), null, null, null, null, null, info.userId(), null,
                    info.timeInQueueSeconds());
        }
    }

    @JsonPropertyOrder({"repo_url", "ref", "sha", "before_sha", "ref_type", "refspecs", "depth",
            "repo_object_format", "protected"})
    record GitInfoJson(
            @JsonProperty("repo_url") String repoUrl,
            @JsonProperty("ref") String ref,
            @JsonProperty("sha") String sha,
            @JsonProperty("before_sha") String beforeSha,
            @JsonProperty("ref_type") String refType,
            @JsonProperty("refspecs") List<String> refspecs,
            @JsonProperty("depth") int depth,
            @JsonProperty("repo_object_format") String repoObjectFormat,
            @JsonProperty("protected") boolean isProtected) {

        static GitInfoJson from(JobRequestPayload.GitInfo git) {
            return new GitInfoJson(git.repoUrl(), git.ref(), git.sha(), git.beforeSha(), git.refType(),
                    git.refspecs(), git.depth(), git.repoObjectFormat(), git.isProtected());
        }

        @Override
        public String toString() {
            // repo_url carries the job token.
            return "GitInfoJson[ref=" + ref + ", sha=" + sha + "]";
        }
    }

    /** {@code runner_session_url} is always null: Jobyard offers no interactive web terminal. */
    @JsonPropertyOrder({"timeout", "runner_session_url"})
    record RunnerInfoJson(
            @JsonProperty("timeout") int timeout,
            @JsonProperty("runner_session_url") String runnerSessionUrl) {
    }

    /** {@code Collection::Item#to_runner_variable}: GitLab's key order, {@code file}/{@code raw} only when true. */
    @JsonPropertyOrder({"key", "value", "public", "file", "masked", "raw"})
    record VariableJson(
            @JsonProperty("key") String key,
            @JsonProperty("value") String value,
            @JsonProperty("public") boolean isPublic,
            @JsonProperty("file") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean file,
            @JsonProperty("masked") boolean masked,
            @JsonProperty("raw") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean raw) {

        static VariableJson from(JobRequestPayload.Variable variable) {
            return new VariableJson(variable.key(), variable.value(), variable.isPublic(),
                    variable.file() ? Boolean.TRUE : null, variable.masked(), variable.raw() ? Boolean.TRUE : null);
        }

        @Override
        public String toString() {
            return "VariableJson[" + key + "]";
        }
    }

    @JsonPropertyOrder({"name", "script", "timeout", "when", "allow_failure"})
    record StepJson(
            @JsonProperty("name") String name,
            @JsonProperty("script") List<String> script,
            @JsonProperty("timeout") int timeout,
            @JsonProperty("when") String when,
            @JsonProperty("allow_failure") boolean allowFailure) {

        static StepJson from(JobRequestPayload.Step step) {
            return new StepJson(step.name(), step.script(), step.timeout(), step.when(), step.allowFailure());
        }
    }

    /** Job definitions carry only an image name, so {@code entrypoint} is null and {@code ports} empty. */
    @JsonPropertyOrder({"name", "entrypoint", "ports"})
    record ImageJson(
            @JsonProperty("name") String name,
            @JsonProperty("entrypoint") List<String> entrypoint,
            @JsonProperty("ports") List<Object> ports) {

        static ImageJson from(JobRequestPayload.Image image) {
            return new ImageJson(image.name(), null, List.of());
        }
    }

    /**
     * {@code JobRequest::Service}: the image's keys, then {@code alias}, {@code command} (null: a job definition names
     * neither) and {@code variables} (none).
     */
    @JsonPropertyOrder({"name", "entrypoint", "ports", "alias", "command", "variables"})
    record ServiceJson(
            @JsonProperty("name") String name,
            @JsonProperty("entrypoint") List<String> entrypoint,
            @JsonProperty("ports") List<Object> ports,
            @JsonProperty("alias") String alias,
            @JsonProperty("command") List<String> command,
            @JsonProperty("variables") List<Object> variables) {

        static ServiceJson from(JobRequestPayload.Image image) {
            return new ServiceJson(image.name(), null, List.of(), null, null, List.of());
        }
    }

    @JsonPropertyOrder({"name", "untracked", "paths", "exclude", "when", "expire_in", "artifact_type",
            "artifact_format"})
    record ArtifactJson(
            @JsonProperty("name") String name,
            @JsonProperty("untracked") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean untracked,
            @JsonProperty("paths") List<String> paths,
            @JsonProperty("exclude") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> exclude,
            @JsonProperty("when") String when,
            @JsonProperty("expire_in") String expireIn,
            @JsonProperty("artifact_type") String artifactType,
            @JsonProperty("artifact_format") String artifactFormat) {

        static ArtifactJson from(JobRequestPayload.Artifact artifact) {
            return new ArtifactJson(artifact.name(), artifact.untracked(), artifact.paths(), artifact.exclude(),
                    artifact.when(), artifact.expireIn(), artifact.artifactType(), artifact.artifactFormat());
        }
    }

    @JsonPropertyOrder({"key", "untracked", "paths", "policy", "when", "fallback_keys"})
    record CacheJson(
            @JsonProperty("key") String key,
            @JsonProperty("untracked") boolean untracked,
            @JsonProperty("paths") List<String> paths,
            @JsonProperty("policy") String policy,
            @JsonProperty("when") String when,
            @JsonProperty("fallback_keys") List<String> fallbackKeys) {

        static CacheJson from(JobRequestPayload.Cache cache) {
            return new CacheJson(cache.key(), cache.untracked(), cache.paths(), cache.policy(), cache.when(),
                    cache.fallbackKeys());
        }
    }

    /** {@code token} is the token of the job being run: the runner downloads the dependency's archive with it. */
    @JsonPropertyOrder({"id", "name", "token", "artifacts_file"})
    record DependencyJson(
            @JsonProperty("id") long id,
            @JsonProperty("name") String name,
            @JsonProperty("token") String token,
            @JsonProperty("artifacts_file") @JsonInclude(JsonInclude.Include.NON_NULL) ArtifactFileJson artifactsFile) {

        static DependencyJson from(JobRequestPayload.Dependency dependency) {
            JobRequestPayload.ArtifactFile file = dependency.artifactsFile();
            return new DependencyJson(dependency.id(), dependency.name(), dependency.token(),
                    file == null ? null : new ArtifactFileJson(file.filename(), file.size()));
        }

        @Override
        public String toString() {
            return "DependencyJson[" + id + " " + name + "]";
        }
    }

    @JsonPropertyOrder({"filename", "size"})
    record ArtifactFileJson(
            @JsonProperty("filename") String filename,
            @JsonProperty("size") long size) {
    }

    @JsonPropertyOrder({"trace_sections", "failure_reasons"})
    record FeaturesJson(
            @JsonProperty("trace_sections") boolean traceSections,
            @JsonProperty("failure_reasons") List<String> failureReasons) {
    }

    @Override
    public String toString() {
        // The job token is a secret; records print every component by default.
        return "JobRequestJson[id=" + id + "]";
    }
}
