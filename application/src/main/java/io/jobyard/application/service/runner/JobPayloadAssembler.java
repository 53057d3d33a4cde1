package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.JobRequestPayload.Artifact;
import io.jobyard.application.port.in.runner.JobRequestPayload.ArtifactFile;
import io.jobyard.application.port.in.runner.JobRequestPayload.Dependency;
import io.jobyard.application.port.in.runner.JobRequestPayload.Features;
import io.jobyard.application.port.in.runner.JobRequestPayload.GitInfo;
import io.jobyard.application.port.in.runner.JobRequestPayload.Image;
import io.jobyard.application.port.in.runner.JobRequestPayload.JobInfo;
import io.jobyard.application.port.in.runner.JobRequestPayload.Step;
import io.jobyard.application.port.in.runner.JobRequestPayload.Variable;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.artifact.JobArtifacts;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the payload of a job just handed to a runner (contract §5.1) from the job's definition, its project, pipeline
 * and user, and the jobs it depends on. Reads happen once per assignment, in {@link #load}, so the payload itself is a
 * pure function of what was read.
 */
final class JobPayloadAssembler {
    /** The variable gitlab-runner reads to decide whether and how to fetch the repository. */
    static final String GIT_STRATEGY = "GIT_STRATEGY";
    private static final Pattern LEADING_INTEGER = Pattern.compile("\\s*([+-]?\\d+(?:_\\d+)*)");
    /** {@code Ci::JobArtifact::DEFAULT_FILE_NAMES}: a report entry's {@code name}; types without one send null. */
    private static final Map<ArtifactFileType, String> REPORT_FILE_NAMES = reportFileNames();
    private static final List<String> FAILURE_REASONS =
            Arrays.stream(FailureReason.values()).map(FailureReason::wireName).toList();

    private static Map<ArtifactFileType, String> reportFileNames() {
        Map<ArtifactFileType, String> names = new EnumMap<>(ArtifactFileType.class);
        names.put(ArtifactFileType.JUNIT, "junit.xml");
        names.put(ArtifactFileType.ACCESSIBILITY, "gl-accessibility.json");
        names.put(ArtifactFileType.CODEQUALITY, "gl-code-quality-report.json");
        names.put(ArtifactFileType.SAST, "gl-sast-report.json");
        names.put(ArtifactFileType.SECRET_DETECTION, "gl-secret-detection-report.json");
        names.put(ArtifactFileType.DEPENDENCY_SCANNING, "gl-dependency-scanning-report.json");
        names.put(ArtifactFileType.CONTAINER_SCANNING, "gl-container-scanning-report.json");
        names.put(ArtifactFileType.CLUSTER_IMAGE_SCANNING, "gl-cluster-image-scanning-report.json");
        names.put(ArtifactFileType.DAST, "gl-dast-report.json");
        names.put(ArtifactFileType.LICENSE_SCANNING, "gl-license-scanning-report.json");
        names.put(ArtifactFileType.PERFORMANCE, "performance.json");
        names.put(ArtifactFileType.BROWSER_PERFORMANCE, "browser-performance.json");
        names.put(ArtifactFileType.LOAD_PERFORMANCE, "load-performance.json");
        names.put(ArtifactFileType.METRICS, "metrics.txt");
        names.put(ArtifactFileType.LSIF, "lsif.json");
        names.put(ArtifactFileType.DOTENV, ".env");
        names.put(ArtifactFileType.COBERTURA, "cobertura-coverage.xml");
        names.put(ArtifactFileType.JACOCO, "jacoco-coverage.xml");
        names.put(ArtifactFileType.TERRAFORM, "tfplan.json");
        names.put(ArtifactFileType.CLUSTER_APPLICATIONS, "gl-cluster-applications.json");
        names.put(ArtifactFileType.REQUIREMENTS, "requirements.json");
        names.put(ArtifactFileType.REQUIREMENTS_V2, "requirements_v2.json");
        names.put(ArtifactFileType.COVERAGE_FUZZING, "gl-coverage-fuzzing.json");
        names.put(ArtifactFileType.API_FUZZING, "gl-api-fuzzing-report.json");
        names.put(ArtifactFileType.CYCLONEDX, "gl-sbom.cdx.json");
        names.put(ArtifactFileType.ANNOTATIONS, "gl-annotations.json");
        names.put(ArtifactFileType.REPOSITORY_XRAY, "gl-repository-xray.json");
        return names;
    }

    private final ProjectRepository projects;
    private final PipelineRepository pipelines;
    private final UserRepository users;
    private final JobRepository jobs;
    private final ArtifactRepository artifacts;
    private final RunnerSettings settings;

    JobPayloadAssembler(ProjectRepository projects, PipelineRepository pipelines, UserRepository users,
                        JobRepository jobs, ArtifactRepository artifacts, RunnerSettings settings) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.users = Objects.requireNonNull(users, "users");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** What a payload is made of besides the job itself. */
    record RunContext(Project project, Pipeline pipeline, User user, List<DependencyJob> dependencies) {
        /** GitLab's {@code has_valid_build_dependencies?}: every dependency can still deliver its artifacts. */
        boolean dependenciesValid(Instant now) {
            return dependencies.stream().allMatch(d -> d.valid(now));
        }
    }

    /** A job whose artifacts the running job downloads, with those artifacts. */
    record DependencyJob(Job job, JobArtifacts artifacts) {
        /**
         * GitLab's {@code valid_dependency?}: not erased, and artifacts not expired unless its pipeline keeps them
         * (locked). A dependency that never had artifacts is valid: there is nothing to miss.
         */
        boolean valid(Instant now) {
            return !job.erased() && !(job.artifactsExpired(now) && !artifacts.pipelineLocked());
        }
    }

    RunContext load(Job job) {
        Project project = projects.findById(job.projectId()).orElseThrow(() -> NotFoundException.record("Project"));
        Pipeline pipeline = pipelines.findById(job.pipelineId())
                .orElseThrow(() -> NotFoundException.record("Pipeline"));
        User user = job.userId() == null ? null : users.findById(job.userId()).orElse(null);
        return new RunContext(project, pipeline, user, dependencies(job, pipeline));
    }

    /**
     * GitLab's {@code Ci::BuildDependencies#local}: the jobs it {@code needs} (a DAG job) or all jobs of earlier
     * stages, narrowed to the names under {@code dependencies:} when the job lists them; latest jobs only, in stage
     * order.
     */
    private List<DependencyJob> dependencies(Job job, Pipeline pipeline) {
        List<String> named = job.spec().execution().dependencies();
        if (named != null && named.isEmpty()) {
            return List.of();
        }
        Set<String> needs = Set.copyOf(job.spec().needs());
        List<Job> candidates = jobs.findByPipeline(job.pipelineId()).stream()
                .filter(j -> !j.retried() && !j.id().equals(job.id()))
                .filter(j -> job.spec().dag() ? needs.contains(j.name()) : j.spec().stageIdx() < job.spec().stageIdx())
                .filter(j -> named == null || named.contains(j.name()))
                .sorted(Comparator.comparingInt((Job j) -> j.spec().stageIdx()).thenComparing(Job::id))
                .toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<JobId, List<JobArtifact>> byJob = artifacts.findByJobs(candidates.stream().map(Job::id).toList());
        boolean locked = pipelines.latestSuccessfulForRef(pipeline.projectId(), pipeline.ref())
                .map(p -> p.id().equals(pipeline.id()))
                .orElse(false);
        return candidates.stream()
                .map(j -> new DependencyJob(j, new JobArtifacts(j, byJob.getOrDefault(j.id(), List.of()), locked)))
                .toList();
    }

    JobRequestPayload payload(Job job, String token, Runner runner, RunContext context, Instant now) {
        Project project = context.project();
        Pipeline pipeline = context.pipeline();
        JobExecution execution = job.spec().execution();
        int timeout = Math.toIntExact(settings.timeoutOf(job).toSeconds());
        RepositoryUrl repository = repository(project, pipeline);
        String repoUrl = repository != null ? repository.value() : gitLabRepoUrl(project, token);

        List<Variable> variables = new ArrayList<>(PredefinedVariables.beforeJobVariables(job, token, runner, project,
                pipeline, settings, repoUrl));
        if (repository == null) {
            // Nothing to clone: an unmodified GitLab Runner skips its git steps and runs the script in an empty
            // directory. Before the job's own variables, so a job that knows better may still say otherwise.
            variables.add(Variable.predefined(GIT_STRATEGY, "none"));
        }
        job.spec().variables().forEach(v -> variables.add(yamlVariable(v)));
        variables.addAll(PredefinedVariables.user(context.user()));
        pipeline.variables().forEach(v -> variables.add(pipelineVariable(v)));

        JobInfo jobInfo = new JobInfo(job.id().value(), job.name(), job.stage(), pipeline.id().value(),
                project.id().value(), project.name(), project.fullPath(),
                job.userId() == null ? null : job.userId().value(), timeInQueueSeconds(job));
        return new JobRequestPayload(
                job.id().value(),
                token,
                true,
                jobInfo,
                gitInfo(job, pipeline, repoUrl, variables),
                new JobRequestPayload.RunnerInfo(timeout),
                variables,
                steps(execution, timeout),
                execution.image() == null ? null : new Image(execution.image()),
                execution.services().stream().map(Image::new).toList(),
                artifacts(execution.artifacts()),
                List.of(),
                context.dependencies().stream().map(d -> dependency(d, token, now)).toList(),
                new Features(true, FAILURE_REASONS));
    }

    /**
     * The runner features a job needs, as GitLab's {@code Ci::Build::RUNNER_FEATURES} decides them for what Jobyard's
     * job definitions can hold: reports need {@code upload_multiple_artifacts}, {@code artifacts:exclude} needs
     * {@code artifacts_exclude}. (GitLab's others concern merge request refs, release steps, exit-code rules and
     * fallback cache keys, none of which a Jobyard job has.)
     */
    static List<String> requiredRunnerFeatures(Job job) {
        JobExecution.ArtifactsSpec artifacts = job.spec().execution().artifacts();
        List<String> required = new ArrayList<>();
        if (artifacts != null && !artifacts.reports().isEmpty()) {
            required.add("upload_multiple_artifacts");
        }
        if (artifacts != null && !artifacts.exclude().isEmpty()) {
            required.add("artifacts_exclude");
        }
        return required;
    }

    /** The pipeline's own repository, else its project's, else none. */
    private static RepositoryUrl repository(Project project, Pipeline pipeline) {
        return pipeline.repository() != null ? pipeline.repository() : project.repository();
    }

    /**
     * {@code Ci::Build#repo_url}: {@code https://gitlab-ci-token:<job token>@host[:port][/relative root]/<project
     * path>.git}, where GitLab serves a project's repository. Only for projects without a repository of their own:
     * the job token never goes to another host.
     */
    private String gitLabRepoUrl(Project project, String token) {
        URI server = settings.externalUrl();
        String authority = "gitlab-ci-token:" + token + "@" + server.getRawAuthority();
        String root = settings.serverUrl().substring(server.getScheme().length() + 3 + server.getRawAuthority().length());
        return server.getScheme() + "://" + authority + root + "/" + project.fullPath() + ".git";
    }

    /**
     * GitLab's {@code git_info} ({@code Ci::BuildRunnerPresenter}). GitLab's first refspec fetches the pipeline's
     * persistent ref ({@code refs/pipelines/<id>}), which only GitLab's own repositories have; a named repository has
     * the branch or tag itself, so the refspecs fetch that: just it with a depth, every branch and tag for a full
     * clone (depth 0), as GitLab does.
     */
    private GitInfo gitInfo(Job job, Pipeline pipeline, String repoUrl, List<Variable> variables) {
        int depth = gitDepth(variables);
        List<String> refspecs;
        if (depth > 0) {
            refspecs = List.of(job.tag()
                    ? "+refs/tags/" + job.ref() + ":refs/tags/" + job.ref()
                    : "+refs/heads/" + job.ref() + ":refs/remotes/origin/" + job.ref());
        } else {
            refspecs = List.of("+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*");
        }
        String sha = pipeline.sha();
        return new GitInfo(repoUrl, job.ref(), sha, pipeline.effectiveBeforeSha(), job.tag() ? "tag" : "branch",
                refspecs, depth, sha.length() == 64 ? "sha256" : "sha1", false);
    }

    /**
     * {@code (GIT_DEPTH || ci_default_git_depth).to_i}: the last {@code GIT_DEPTH} of the job's variables read as
     * Ruby's {@code to_i} reads text (its leading integer, else 0), else the instance default.
     */
    private int gitDepth(List<Variable> variables) {
        for (int i = variables.size() - 1; i >= 0; i--) {
            Variable variable = variables.get(i);
            if (variable.key().equals("GIT_DEPTH")) {
                return rubyToInt(variable.value());
            }
        }
        return settings.defaultGitDepth();
    }

    static int rubyToInt(String text) {
        if (text == null) {
            return 0;
        }
        Matcher leading = LEADING_INTEGER.matcher(text);
        if (!leading.lookingAt()) {
            return 0;
        }
        String digits = leading.group(1).replace("_", "");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException outOfRange) {
            return digits.startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
    }

    private static long timeInQueueSeconds(Job job) {
        if (job.queuedAt() == null || job.startedAt() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(job.queuedAt(), job.startedAt()).toSeconds());
    }

    /** A variable of the job's configuration: GitLab's {@code yaml_variables} are public. */
    private static Variable yamlVariable(JobVariable variable) {
        return new Variable(variable.key(), variable.value(), true, variable.masked(), variable.file(), false);
    }

    /** A pipeline variable ({@code Ci::PipelineVariable#to_runner_variable}): not public. */
    private static Variable pipelineVariable(JobVariable variable) {
        return new Variable(variable.key(), variable.value(), false, variable.masked(), variable.file(), false);
    }

    /** GitLab's steps: before_script and script run as "script"; after_script runs always and may fail. */
    private static List<Step> steps(JobExecution execution, int timeout) {
        List<String> script = new ArrayList<>(execution.beforeScript());
        script.addAll(execution.script());
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("script", script, timeout, "on_success", false));
        if (!execution.afterScript().isEmpty()) {
            steps.add(new Step("after_script", execution.afterScript(), timeout, "always", true));
        }
        return steps;
    }

    /**
     * {@code Ci::BuildRunnerPresenter#artifacts}: the archive (when the job collects paths or untracked files) with the
     * configuration's name, when and expire_in as given (null where it says nothing), {@code untracked} and
     * {@code exclude} only when set; then one entry per report type, named by GitLab's default file name for the type,
     * uploaded always.
     */
    private static List<Artifact> artifacts(JobExecution.ArtifactsSpec spec) {
        if (spec == null) {
            return List.of();
        }
        List<Artifact> result = new ArrayList<>();
        if (!spec.paths().isEmpty() || spec.untracked()) {
            result.add(new Artifact(spec.name(), spec.untracked() ? Boolean.TRUE : null, spec.paths(),
                    spec.exclude().isEmpty() ? null : spec.exclude(), spec.when(), spec.expireIn(),
                    ArtifactFileType.ARCHIVE.wireName(), ArtifactFileType.ARCHIVE.requiredFormat().wireName()));
        }
        // Jobyard keeps a job's reports unordered; by type name, so the payload is the same on every request.
        for (Map.Entry<String, List<String>> report : new TreeMap<>(spec.reports()).entrySet()) {
            ArtifactFileType.fromWireName(report.getKey()).ifPresent(type -> result.add(new Artifact(
                    REPORT_FILE_NAMES.get(type), null, report.getValue(), null, "always", spec.expireIn(),
                    type.wireName(), type.requiredFormat().wireName())));
        }
        return result;
    }

    /** {@code artifacts_file} only when the archive can be downloaded (GitLab's {@code available_artifacts?}). */
    private static Dependency dependency(DependencyJob dependency, String token, Instant now) {
        Job job = dependency.job();
        ArtifactFile file = dependency.artifacts().available(now)
                ? dependency.artifacts().archive().map(a -> new ArtifactFile(a.filename(), a.size())).orElse(null)
                : null;
        return new Dependency(job.id().value(), job.name(), token, file);
    }
}
