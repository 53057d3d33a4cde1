package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jobyard.domain.pipeline.config.ConfigValues.hash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isHash;

/**
 * Turns a valid job into a {@link JobSpec} the way GitLab's {@code Entry::Job#value} and {@code build_attributes}
 * do: keywords a job leaves out come from {@code default:} (and from the deprecated top-level keywords), manual jobs
 * may fail unless told otherwise, and a job with {@code needs:} downloads the artifacts of the needs that ask for
 * them ({@code Ci::BuildDependencies}).
 */
final class JobSpecAssembler {
    private static final String DEBUG_TRACE = "CI_DEBUG_TRACE";

    private final RootLayout layout;
    private final Map<String, Object> defaults;
    private final List<JobVariable> globalVariables;
    private final Set<String> visibleJobs;

    JobSpecAssembler(RootLayout layout, Set<String> visibleJobs) {
        this.layout = layout;
        Object defaultValue = layout.globals().get("default");
        this.defaults = defaultValue == null ? Map.of() : hash(defaultValue);
        this.globalVariables = variables(layout.globals().get("variables"));
        this.visibleJobs = visibleJobs;
    }

    List<JobVariable> globalVariables() {
        return globalVariables;
    }

    JobSpec assemble(ParsedJob parsed) {
        Map<String, Object> job = parsed.config();
        WhenCondition when = job.get("when") == null
                ? WhenCondition.ON_SUCCESS
                : WhenCondition.fromWireName(ConfigValues.toS(job.get("when"))).orElseThrow();
        Duration startIn = when == WhenCondition.DELAYED ? CiDuration.parse(job.get("start_in")).orElseThrow() : null;
        List<String> needs = parsed.needs() == null ? List.of() : parsed.needs().stream()
                .filter(need -> visibleJobs.contains(need.name()))
                .map(ParsedJob.Need::name)
                .toList();
        List<JobVariable> variables = variables(job.get("variables"));
        Object resourceGroup = job.get("resource_group");
        return new JobSpec(
                parsed.name(),
                parsed.stage(),
                layout.stages().indexOf(parsed.stage()),
                when,
                startIn,
                allowFailure(job.get("allow_failure"), when),
                parsed.dag(),
                needs,
                ConfigValues.stringOrStrings(inherited(job, "tags")),
                variables,
                resourceGroup == null ? null : ConfigValues.toS(resourceGroup),
                retry(inherited(job, "retry")),
                debugTrace(variables),
                execution(parsed));
    }

    private JobExecution execution(ParsedJob parsed) {
        Map<String, Object> job = parsed.config();
        Object timeout = inherited(job, "timeout");
        return new JobExecution(
                imageName(inherited(job, "image")),
                services(inherited(job, "services")),
                commands(inherited(job, "before_script")),
                commands(job.get("script")),
                commands(inherited(job, "after_script")),
                dependencies(parsed),
                artifacts(inherited(job, "artifacts")),
                timeout == null ? null : Math.toIntExact(CiDuration.parse(timeout).orElseThrow().toSeconds()));
    }

    /** The job's own value, else {@code default:}'s, else the deprecated top-level keyword's. */
    private Object inherited(Map<String, Object> job, String key) {
        if (job.get(key) != null) {
            return job.get(key);
        }
        if (defaults.get(key) != null) {
            return defaults.get(key);
        }
        return Keywords.DEFAULT_FROM_ROOT.contains(key) ? layout.globals().get(key) : null;
    }

    /** GitLab's {@code ignored?}: as configured when a boolean, false for exit-code criteria, true for manual jobs. */
    private static boolean allowFailure(Object configured, WhenCondition when) {
        if (configured == null) {
            return when == WhenCondition.MANUAL;
        }
        return Boolean.TRUE.equals(configured);
    }

    /**
     * {@code Ci::BuildDependencies}: an empty {@code dependencies:} means none; a DAG job takes the needs that keep
     * {@code artifacts: true}, narrowed to {@code dependencies:} when given; a stage job takes the named jobs, or
     * (null) every job of the earlier stages.
     */
    private List<String> dependencies(ParsedJob parsed) {
        List<String> named = parsed.dependencies();
        if (named != null && named.isEmpty()) {
            return List.of();
        }
        if (!parsed.dag()) {
            return named;
        }
        return parsed.needs().stream()
                .filter(need -> need.artifacts() && visibleJobs.contains(need.name()))
                .map(ParsedJob.Need::name)
                .filter(name -> named == null || named.contains(name))
                .distinct()
                .toList();
    }

    private static List<String> commands(Object value) {
        return value == null ? List.of() : ConfigValues.flattenStrings(value);
    }

    private static String imageName(Object image) {
        if (image == null) {
            return null;
        }
        return isHash(image) ? ConfigValues.toS(hash(image).get("name")) : ConfigValues.toS(image);
    }

    private static List<String> services(Object services) {
        if (services == null) {
            return List.of();
        }
        return ConfigValues.array(services).stream().map(JobSpecAssembler::imageName).toList();
    }

    private static RetryPolicy retry(Object retry) {
        if (retry == null) {
            return RetryPolicy.NONE;
        }
        if (!isHash(retry)) {
            return new RetryPolicy(Integer.parseInt(ConfigValues.toS(retry)), Set.of());
        }
        Map<String, Object> full = hash(retry);
        int max = full.get("max") == null ? 0 : Integer.parseInt(ConfigValues.toS(full.get("max")).trim());
        return new RetryPolicy(max, new LinkedHashSet<>(ConfigValues.stringOrStrings(full.get("when"))));
    }

    private static JobExecution.ArtifactsSpec artifacts(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> artifacts = hash(value);
        Map<String, List<String>> reports = new LinkedHashMap<>();
        if (artifacts.get("reports") != null) {
            hash(artifacts.get("reports")).forEach((type, paths) -> {
                if (paths == null) {
                    return;
                }
                if (type.equals("coverage_report")) {
                    // Ci::BuildRunnerPresenter uploads a coverage report as its format's artifact type.
                    Map<String, Object> report = hash(paths);
                    reports.put(ConfigValues.toS(report.get("coverage_format")),
                            List.of(ConfigValues.toS(report.get("path"))));
                } else {
                    reports.put(type, ConfigValues.stringOrStrings(paths));
                }
            });
        }
        return new JobExecution.ArtifactsSpec(
                artifacts.get("name") == null ? null : ConfigValues.toS(artifacts.get("name")),
                ConfigValues.stringOrStrings(artifacts.get("paths")),
                ConfigValues.stringOrStrings(artifacts.get("exclude")),
                Boolean.TRUE.equals(artifacts.get("untracked")),
                artifacts.get("when") == null ? null : ConfigValues.toS(artifacts.get("when")),
                artifacts.get("expire_in") == null ? null : ConfigValues.toS(artifacts.get("expire_in")),
                access(artifacts),
                reports);
    }

    /** {@code access:} as written, or {@code public:} in its words (true → all, false → developer). */
    private static String access(Map<String, Object> artifacts) {
        if (artifacts.get("access") != null) {
            return ConfigValues.toS(artifacts.get("access"));
        }
        if (artifacts.get("public") != null) {
            return Boolean.TRUE.equals(artifacts.get("public")) ? "all" : "developer";
        }
        return null;
    }

    private static List<JobVariable> variables(Object value) {
        if (value == null) {
            return List.of();
        }
        List<JobVariable> variables = new ArrayList<>();
        hash(value).forEach((key, definition) -> {
            Object data = isHash(definition) ? hash(definition).get("value") : definition;
            // GitLab composes `config || {}`: null and false are empty hashes, whose value is "".
            String text = data == null || Boolean.FALSE.equals(data) ? "" : ConfigValues.toS(data);
            variables.add(JobVariable.of(key, text));
        });
        return variables;
    }

    /** GitLab's debug trace: {@code CI_DEBUG_TRACE} "true" among the job's variables, else the top-level ones. */
    private boolean debugTrace(List<JobVariable> jobVariables) {
        String value = null;
        for (JobVariable variable : globalVariables) {
            if (variable.key().equals(DEBUG_TRACE)) {
                value = variable.value();
            }
        }
        for (JobVariable variable : jobVariables) {
            if (variable.key().equals(DEBUG_TRACE)) {
                value = variable.value();
            }
        }
        return "true".equalsIgnoreCase(value);
    }
}
