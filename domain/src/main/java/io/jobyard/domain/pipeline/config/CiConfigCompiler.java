package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.JobSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles a parsed {@code .gitlab-ci.yml} (maps, lists, strings, numbers, booleans and nulls, as a YAML parser
 * gives them) into Jobyard's {@link PipelineDefinition}, refusing what GitLab's lint refuses with GitLab's messages.
 *
 * <p>The steps are GitLab's ({@code Gitlab::Ci::Config} then {@code Gitlab::Ci::YamlProcessor}), and so is what
 * each reports:
 * <ol>
 *   <li>{@code extends:} is resolved — its first problem is the only error;</li>
 *   <li>a keyword given both at the top level and in {@code default:} is the only error;</li>
 *   <li>the syntax of every entry is checked — all errors, in GitLab's order;</li>
 *   <li>stages, dependencies and needs are checked against each other — the first problem only.</li>
 * </ol>
 *
 * <p>Supported: {@code stages}, {@code variables}, {@code default} (image, services, tags, before_script,
 * after_script, retry, timeout, artifacts, interruptible), the deprecated top-level image, services, before_script
 * and after_script, hidden jobs and {@code extends}, and per job stage, script, before_script, after_script, image,
 * services, tags, variables, when (with start_in), allow_failure, needs, dependencies, artifacts, retry, timeout,
 * resource_group, coverage and interruptible. {@code coverage} and {@code interruptible} are validated and then
 * ignored: Jobyard neither parses coverage out of logs nor cancels redundant pipelines. Every other keyword GitLab
 * knows (include, workflow, cache, rules, only/except, trigger, parallel, environment, ...) is refused with
 * "contains keywords Jobyard does not support", never silently dropped.
 */
public final class CiConfigCompiler {

    private CiConfigCompiler() {
    }

    /**
     * @param root the top-level mapping of the configuration; not modified
     * @return the stages, jobs and top-level variables it defines
     * @throws CiConfigException when GitLab would refuse the configuration
     */
    /**
     * The top-level entries that are neither hidden ({@code .name}) nor global keywords: every job the configuration
     * can define is one of them, so this bounds the job count before any compiling (which copies the configuration and
     * resolves {@code extends:}) is done. Entries that are not jobs would fail the lint anyway.
     */
    public static int visibleEntries(Map<String, Object> root) {
        if (root == null) {
            return 0;
        }
        return (int) RootLayout.of(root).jobs().keySet().stream().filter(name -> !name.startsWith(".")).count();
    }

    public static PipelineDefinition compile(Map<String, Object> root) {
        if (root == null) {
            throw new CiConfigException(List.of("Please provide content of .gitlab-ci.yml"));
        }
        Map<String, Object> config = ConfigValues.hash(ConfigValues.copy(root));
        ExtendsResolver.resolve(config);
        RootLayout layout = RootLayout.of(config);
        List<String> syntaxErrors = ConfigSyntax.check(layout);
        if (!syntaxErrors.isEmpty()) {
            throw new CiConfigException(syntaxErrors);
        }
        List<ParsedJob> jobs = new ArrayList<>();
        layout.jobs().forEach((name, value) -> {
            if (RootLayout.kind(name, value) == RootLayout.Kind.JOB) {
                jobs.add(ParsedJob.of(name, ConfigValues.hash(value)));
            }
        });
        Optional<String> logicalError = DependencyRules.firstError(jobs, layout.stages());
        if (logicalError.isPresent()) {
            throw new CiConfigException(List.of(logicalError.get()));
        }
        Set<String> names = new LinkedHashSet<>();
        jobs.forEach(job -> names.add(job.name()));
        JobSpecAssembler assembler = new JobSpecAssembler(layout, names);
        List<JobSpec> specs = jobs.stream().map(assembler::assemble).toList();
        return new PipelineDefinition(layout.stages(), specs, assembler.globalVariables());
    }
}
