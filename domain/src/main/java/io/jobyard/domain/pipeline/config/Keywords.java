package io.jobyard.domain.pipeline.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The keywords GitLab knows at each level of a configuration (its {@code ALLOWED_KEYS}), and the part of them Jobyard
 * supports. A keyword GitLab does not know gets GitLab's "contains unknown keys" error; one GitLab knows but Jobyard
 * does not run gets {@link #unsupported} — never silently ignored.
 */
final class Keywords {
    /** {@code Entry::Root::ALLOWED_KEYS}, in the order of the root's entries. */
    static final List<String> ROOT = List.of("default", "include", "before_script", "image", "services",
            "after_script", "variables", "stages", "cache", "workflow");
    /** Root entries that can never be job names ({@code reserved: true}). */
    static final Set<String> ROOT_RESERVED = Set.of("include", "before_script", "image", "services", "after_script",
            "variables", "stages", "cache");
    static final Set<String> ROOT_UNSUPPORTED = Set.of("include", "cache", "workflow");

    /** {@code Entry::Default::ALLOWED_KEYS}, in the order of its entries. */
    static final List<String> DEFAULT = List.of("before_script", "after_script", "hooks", "cache", "image",
            "services", "interruptible", "timeout", "retry", "tags", "artifacts", "id_tokens");
    static final Set<String> DEFAULT_UNSUPPORTED = Set.of("hooks", "cache", "id_tokens");
    /** What {@code default:} takes from the deprecated top-level keys ({@code inherit: true} in Entry::Default). */
    static final List<String> DEFAULT_FROM_ROOT = List.of("before_script", "after_script", "cache", "image",
            "services");

    /** {@code Entry::Job::ALLOWED_KEYS + Processable::PROCESSABLE_ALLOWED_KEYS}, plus the EE job keywords. */
    static final Set<String> JOB = Set.copyOf(concat(
            List.of("tags", "script", "image", "services", "start_in", "artifacts", "cache", "dependencies",
                    "before_script", "after_script", "hooks", "coverage", "retry", "parallel", "timeout", "release",
                    "id_tokens", "publish", "pages", "manual_confirmation", "run"),
            List.of("extends", "stage", "only", "except", "rules", "variables", "inherit", "allow_failure", "when",
                    "needs", "resource_group", "environment", "interruptible"),
            List.of("secrets", "dast_configuration", "identity")));
    static final Set<String> JOB_SUPPORTED = Set.of("tags", "script", "image", "services", "start_in", "artifacts",
            "dependencies", "before_script", "after_script", "coverage", "retry", "timeout", "extends", "stage",
            "variables", "allow_failure", "when", "needs", "resource_group", "interruptible");
    /** A job's entries in {@code Entry::Job}'s order (Processable's first), which is the order of their errors. */
    static final List<String> JOB_ENTRIES = List.of("stage", "variables", "interruptible", "before_script", "script",
            "after_script", "image", "services", "timeout", "retry", "tags", "artifacts", "needs", "coverage",
            "allow_failure");
    /** What a job takes from {@code default:} when it does not say ({@code inherit: true} in Entry::Job). */
    static final Set<String> JOB_FROM_DEFAULT = Set.of("before_script", "after_script", "image", "services",
            "timeout", "retry", "tags", "artifacts", "interruptible");

    static final List<String> WHEN = List.of("on_success", "on_failure", "always", "manual", "delayed");

    /** {@code Entry::Artifacts::ALLOWED_KEYS}. */
    static final Set<String> ARTIFACTS = Set.of("name", "untracked", "paths", "reports", "when", "expire_in",
            "expose_as", "exclude", "public", "access");
    static final Set<String> ARTIFACTS_UNSUPPORTED = Set.of("expose_as");
    static final List<String> ARTIFACTS_WHEN = List.of("on_success", "on_failure", "always");
    static final List<String> ARTIFACTS_ACCESS = List.of("none", "developer", "maintainer", "all");

    /** {@code Entry::Reports::ALLOWED_KEYS}: each names an artifact file type, but coverage_report. */
    static final List<String> REPORTS = List.of("junit", "codequality", "sast", "secret_detection",
            "dependency_scanning", "container_scanning", "dast", "performance", "browser_performance",
            "load_performance", "license_scanning", "metrics", "lsif", "dotenv", "terraform", "accessibility",
            "coverage_fuzzing", "api_fuzzing", "cluster_image_scanning", "requirements", "requirements_v2",
            "coverage_report", "cyclonedx", "annotations", "repository_xray");
    static final List<String> COVERAGE_FORMATS = List.of("cobertura", "jacoco");

    /** {@code Imageable::IMAGEABLE_ALLOWED_KEYS + %i[docker kubernetes]}. */
    static final Set<String> IMAGE = Set.of("name", "entrypoint", "ports", "pull_policy", "docker", "kubernetes");
    /** Entry::Service's keys: Imageable's and command, alias, variables. */
    static final Set<String> SERVICE = Set.of("name", "entrypoint", "ports", "pull_policy", "docker", "kubernetes",
            "command", "alias", "variables");

    static final Set<String> RETRY = Set.of("max", "when", "exit_codes");
    static final Set<String> NEED = Set.of("job", "artifacts", "optional");

    private Keywords() {
    }

    /** The keys of {@code config} that {@code known} lacks, in the configuration's order. */
    static List<String> unknown(Map<String, Object> config, Collection<String> known) {
        return config.keySet().stream().filter(key -> !known.contains(key)).toList();
    }

    /** The keys of {@code config} in {@code unsupported} (with a value), in the configuration's order. */
    static List<String> present(Map<String, Object> config, Collection<String> unsupported) {
        return config.keySet().stream()
                .filter(key -> unsupported.contains(key) && config.get(key) != null).toList();
    }

    /** Jobyard's refusal of keywords GitLab knows but Jobyard does not run, worded like GitLab's unknown keys. */
    static String unsupported(String location, List<String> keys) {
        return (location + " config").toLowerCase(Locale.ROOT) + " contains keywords Jobyard does not support: "
                + String.join(", ", keys).toLowerCase(Locale.ROOT);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        Stream.of(lists).forEach(all::addAll);
        return all;
    }
}
