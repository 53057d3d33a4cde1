package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.JobRequestPayload;
import io.jobyard.application.port.in.JobRequestPayload.Artifact;
import io.jobyard.application.port.in.JobRequestPayload.ArtifactFile;
import io.jobyard.application.port.in.JobRequestPayload.Dependency;
import io.jobyard.application.port.in.JobRequestPayload.Features;
import io.jobyard.application.port.in.JobRequestPayload.GitInfo;
import io.jobyard.application.port.in.JobRequestPayload.Image;
import io.jobyard.application.port.in.JobRequestPayload.JobInfo;
import io.jobyard.application.port.in.JobRequestPayload.Step;
import io.jobyard.application.port.in.JobRequestPayload.Variable;
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
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the payload of a job just handed to a runner (contract §5.1) from the job's definition, its project, pipeline
 * and user, and the jobs it depends on. Reads happen once per assignment, in {@link #load}, so the payload itself is a
 * pure function of what was read.
 */
final class JobPayloadAssembler {
    /** GitLab's placeholder for a commit it has no parent of ({@code Gitlab::Git::SHA1_BLANK_SHA}). */
    private static final char BLANK = '0';
    private static final List<String> FAILURE_REASONS =
            Arrays.stream(FailureReason.values()).map(FailureReason::wireName).toList();

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
        String repoUrl = repoUrl(project, token);

        List<Variable> variables = new ArrayList<>(PredefinedVariables.of(job, token, runner, project, pipeline,
                context.user(), settings, repoUrl));
        job.spec().variables().forEach(v -> variables.add(userVariable(v)));
        pipeline.variables().forEach(v -> variables.add(userVariable(v)));

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

    /** {@code https://gitlab-ci-token:<job token>@host[:port][/relative root]/<project path>.git}. */
    private String repoUrl(Project project, String token) {
        URI server = settings.externalUrl();
        String authority = "gitlab-ci-token:" + token + "@" + server.getRawAuthority();
        String root = settings.serverUrl().substring(server.getScheme().length() + 3 + server.getRawAuthority().length());
        return server.getScheme() + "://" + authority + root + "/" + project.fullPath() + ".git";
    }

    /**
     * GitLab's {@code git_info}. Jobyard keeps no persistent pipeline refs (they live in a repository), so the refspecs
     * fetch the branch or tag itself; a depth of 0 (full clone) fetches every branch and tag, as GitLab does.
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
        return new GitInfo(repoUrl, job.ref(), sha, String.valueOf(BLANK).repeat(sha.length()),
                job.tag() ? "tag" : "branch", refspecs, depth, sha.length() == 64 ? "sha256" : "sha1");
    }

    /** {@code GIT_DEPTH} from the job's or pipeline's variables (the last one wins), else the instance default. */
    private int gitDepth(List<Variable> variables) {
        for (int i = variables.size() - 1; i >= 0; i--) {
            Variable variable = variables.get(i);
            if (variable.key().equals("GIT_DEPTH")) {
                return variable.value().matches("\\d{1,9}") ? Integer.parseInt(variable.value())
                        : settings.defaultGitDepth();
            }
        }
        return settings.defaultGitDepth();
    }

    private static long timeInQueueSeconds(Job job) {
        if (job.queuedAt() == null || job.startedAt() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(job.queuedAt(), job.startedAt()).toSeconds());
    }

    private static Variable userVariable(JobVariable variable) {
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
     * GitLab's runner artifact options: the archive (when the job collects paths or untracked files), then one entry
     * per report type, uploaded always, in the format the type requires.
     */
    private static List<Artifact> artifacts(JobExecution.ArtifactsSpec spec) {
        if (spec == null) {
            return List.of();
        }
        List<Artifact> result = new ArrayList<>();
        if (!spec.paths().isEmpty() || spec.untracked()) {
            result.add(new Artifact(spec.name(), spec.untracked(), spec.paths(), spec.exclude(),
                    spec.when() == null ? "on_success" : spec.when(), spec.expireIn(),
                    ArtifactFileType.ARCHIVE.wireName(), ArtifactFileType.ARCHIVE.requiredFormat().wireName()));
        }
        for (Map.Entry<String, List<String>> report : new TreeMap<>(spec.reports()).entrySet()) {
            ArtifactFileType.fromWireName(report.getKey()).ifPresent(type -> result.add(new Artifact(
                    type.wireName(), false, report.getValue(), List.of(), "always", spec.expireIn(), type.wireName(),
                    type.requiredFormat().wireName())));
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
