package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.text.TextLimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.jobyard.domain.pipeline.config.ConfigValues.hash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isBlank;
import static io.jobyard.domain.pipeline.config.ConfigValues.isHash;
import static io.jobyard.domain.pipeline.config.LintMessage.attribute;
import static io.jobyard.domain.pipeline.config.LintMessage.config;

/**
 * GitLab's syntax validation ({@code Gitlab::Ci::Config} composing {@code Entry::Root}): every error of every entry,
 * in the order GitLab's entry tree lists them — an entry's own errors, then its children's in the order the entry
 * declares them; an entry with errors of its own does not look at its children.
 *
 * <p>Like GitLab, a job that does not say {@code image:} (and the other inherited keywords) shares the entry of
 * {@code default:} — itself shared with the deprecated top-level keyword — so an error there is listed again under
 * each job that inherits it.
 */
final class ConfigSyntax {
    private static final Set<String> ROOT_VARIABLE_DATA = Set.of("value", "description", "expand", "options");
    private static final Set<String> JOB_VARIABLE_DATA = Set.of("value", "expand");

    /** An entry a job may inherit from {@code default:}: its errors, listed wherever it is inherited. */
    private record Inherited(List<String> errors) {
    }

    private final RootLayout layout;
    private final Map<String, Inherited> defaults = new LinkedHashMap<>();

    private ConfigSyntax(RootLayout layout) {
        this.layout = layout;
    }

    /**
     * @return every syntax error; empty when the configuration is well-formed
     * @throws CiConfigException for what GitLab raises while composing (a keyword both at the top level and in
     *                           {@code default:}), with that one message
     */
    static List<String> check(RootLayout layout) {
        return new ConfigSyntax(layout).root();
    }

    private List<String> root() {
        Map<String, Object> globals = layout.globals();
        List<String> unsupported = Keywords.present(globals, Keywords.ROOT_UNSUPPORTED);
        if (!unsupported.isEmpty()) {
            return List.of(Keywords.unsupported("root", unsupported));
        }
        List<String> errors = new ArrayList<>(defaultEntry(globals.get("default")));
        for (String key : List.of("before_script", "image", "services", "after_script")) {
            if (globals.get(key) != null) {
                errors.addAll(inheritable(key, key, globals.get(key)));
            }
        }
        if (globals.get("variables") != null) {
            errors.addAll(EntrySyntax.variables("variables", globals.get("variables"), ROOT_VARIABLE_DATA));
        }
        if (globals.get("stages") != null) {
            errors.addAll(EntrySyntax.stages(globals.get("stages")));
        }
        errors.addAll(jobs());
        return errors;
    }

    /** {@code Entry::Default}, which also takes the deprecated top-level image, services and scripts. */
    private List<String> defaultEntry(Object value) {
        Object config = value == null ? Map.of() : value;
        List<String> errors = new ArrayList<>();
        if (!isHash(config)) {
            errors.add(config("default", "should be a hash"));
        } else {
            List<String> unknown = Keywords.unknown(hash(config), Keywords.DEFAULT);
            if (!unknown.isEmpty()) {
                errors.add(EntrySyntax.unknownKeys("default", unknown));
            }
            List<String> unsupported = Keywords.present(hash(config), Keywords.DEFAULT_UNSUPPORTED);
            if (!unsupported.isEmpty()) {
                errors.add(Keywords.unsupported("default", unsupported));
            }
        }
        boolean composed = errors.isEmpty();
        Map<String, Object> own = composed ? hash(config) : Map.of();
        for (String key : Keywords.DEFAULT) {
            Object topLevel = Keywords.DEFAULT_FROM_ROOT.contains(key) ? layout.globals().get(key) : null;
            if (topLevel != null && own.get(key) != null) {
                // Entry::Default#overwrite_entry raises InheritError: GitLab reports this alone.
                throw new CiConfigException(List.of(key + " is defined in top-level and `default:` entry"));
            }
            if (own.get(key) != null) {
                List<String> entryErrors = inheritable("default:" + key, key, own.get(key));
                defaults.put(key, new Inherited(entryErrors));
                errors.addAll(entryErrors);
            } else if (topLevel != null) {
                List<String> entryErrors = inheritable(key, key, topLevel);
                defaults.put(key, new Inherited(entryErrors));
                errors.addAll(entryErrors);
            }
        }
        return errors;
    }

    /** The entries {@code default:} and jobs share. */
    private static List<String> inheritable(String location, String key, Object value) {
        return switch (key) {
            case "before_script", "after_script", "script" -> EntrySyntax.commands(location, value);
            case "image" -> EntrySyntax.image(location, value);
            case "services" -> EntrySyntax.services(location, value);
            case "interruptible" -> EntrySyntax.bool(location, value);
            case "timeout" -> EntrySyntax.timeout(location, value);
            case "retry" -> EntrySyntax.retry(value);
            case "tags" -> EntrySyntax.tags(location, value);
            case "artifacts" -> ArtifactsSyntax.check(location, value);
            default -> throw new IllegalArgumentException("not an inheritable entry: " + key);
        };
    }

    /** {@code Entry::Jobs}: every key must be a job, and one at least visible. */
    private List<String> jobs() {
        Map<String, Object> jobs = layout.jobs();
        List<String> errors = new ArrayList<>();
        boolean visible = false;
        for (Map.Entry<String, Object> job : jobs.entrySet()) {
            RootLayout.Kind kind = RootLayout.kind(job.getKey(), job.getValue());
            if (kind == RootLayout.Kind.UNMATCHED) {
                errors.add(attribute("jobs", job.getKey(),
                        "config should implement the script:, run:, or trigger: keyword"));
            }
            visible |= kind == RootLayout.Kind.JOB || kind == RootLayout.Kind.BRIDGE;
        }
        if (!visible) {
            errors.add(config("jobs", "should contain at least one visible job"));
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        jobs.forEach((name, value) -> {
            String location = LintMessage.child("jobs", name, "job");
            switch (RootLayout.kind(name, value)) {
                case HIDDEN -> {
                    if (isBlank(value == null || Boolean.FALSE.equals(value) ? Map.of() : value)) {
                        errors.add(config(location, "can't be blank"));
                    }
                }
                case BRIDGE -> errors.add(Keywords.unsupported(location, List.of("trigger")));
                case JOB -> errors.addAll(job(location, name, hash(value)));
                case UNMATCHED -> throw new IllegalStateException("unmatched jobs were reported above");
            }
        });
        return errors;
    }

    /** {@code Entry::Job} with {@code Entry::Processable}. */
    private List<String> job(String location, String name, Map<String, Object> job) {
        List<String> own = jobOwn(location, name, job);
        boolean composed = own.isEmpty();
        List<String> children = new ArrayList<>();
        boolean needsValid = true;
        for (String key : Keywords.JOB_ENTRIES) {
            Object value = composed ? job.get(key) : null;
            if (value != null) {
                List<String> entryErrors = jobEntry(location + ":" + key, key, value);
                needsValid &= !key.equals("needs") || entryErrors.isEmpty();
                children.addAll(entryErrors);
            } else if (Keywords.JOB_FROM_DEFAULT.contains(key) && defaults.containsKey(key)) {
                children.addAll(defaults.get(key).errors());
            }
        }
        List<String> errors = new ArrayList<>(own);
        if (composed && needsValid) {
            dependenciesOutsideNeeds(location, job).ifPresent(errors::add);
        }
        errors.addAll(children);
        return errors;
    }

    /** The job's own validations, in the order Processable and Job declare them. */
    private static List<String> jobOwn(String location, String name, Map<String, Object> job) {
        List<String> errors = new ArrayList<>();
        if (name.isBlank()) {
            errors.add(attribute(location, "name", "can't be blank"));
        }
        // GitLab counts characters; Jobyard UTF-16 units (TextLimit), so a name of astral characters is refused earlier.
        if (!TextLimit.JOB_NAME.fits(name)) {
            errors.add(attribute(location, "name", EntrySyntax.tooLong(TextLimit.JOB_NAME)));
        }
        exclusive(location, job, Set.of("script", "trigger"), errors);
        exclusive(location, job, Set.of("run", "trigger"), errors);
        Object extendsValue = job.get("extends");
        if (extendsValue != null && !ConfigValues.isArrayOfStringsOrString(extendsValue)) {
            errors.add(attribute(location, "extends", "should be an array of strings or a string"));
        }
        Object resourceGroup = job.get("resource_group");
        if (resourceGroup != null && !ConfigValues.isString(resourceGroup)) {
            errors.add(attribute(location, "resource_group", "should be a string"));
        } else if (resourceGroup != null && !TextLimit.RESOURCE_GROUP.fits((String) resourceGroup)) {
            errors.add(attribute(location, "resource_group", EntrySyntax.tooLong(TextLimit.RESOURCE_GROUP)));
        }
        List<String> unknown = Keywords.unknown(job, Keywords.JOB);
        if (!unknown.isEmpty()) {
            errors.add(EntrySyntax.unknownKeys(location, unknown));
        }
        exclusive(location, job, Set.of("script", "run"), errors);
        if (!job.containsKey("run") && isBlank(job.get("script"))) {
            errors.add(attribute(location, "script", "can't be blank"));
        }
        EntrySyntax.oneOf(job, "when", Keywords.WHEN, location, errors);
        Object dependencies = job.get("dependencies");
        if (dependencies != null && !ConfigValues.isArrayOfStrings(dependencies)) {
            errors.add(attribute(location, "dependencies", "should be an array of strings"));
        }
        Object allowFailure = job.get("allow_failure");
        if (allowFailure != null && !isHash(allowFailure) && !ConfigValues.isBoolean(allowFailure)) {
            errors.add(attribute(location, "allow_failure", "should be a hash or a boolean value"));
        }
        if ("delayed".equals(job.get("when"))) {
            EntrySyntax.startIn(job.get("start_in"), message -> errors.add(attribute(location, "start_in", message)));
        } else if (!isBlank(job.get("start_in"))) {
            errors.add(attribute(location, "start_in", "must be blank"));
        }
        List<String> unsupported = job.keySet().stream()
                .filter(key -> !Keywords.JOB_SUPPORTED.contains(key) && Keywords.JOB.contains(key)
                        && job.get(key) != null)
                .toList();
        if (!unsupported.isEmpty()) {
            errors.add(Keywords.unsupported(location, unsupported));
        }
        return errors;
    }

    private static List<String> jobEntry(String location, String key, Object value) {
        return switch (key) {
            case "stage" -> EntrySyntax.stage(location, value);
            case "variables" -> EntrySyntax.variables(location, value, JOB_VARIABLE_DATA);
            case "needs" -> EntrySyntax.needs(location, value);
            case "coverage" -> EntrySyntax.coverage(location, value);
            case "allow_failure" -> EntrySyntax.allowFailure(location, value);
            default -> inheritable(location, key, value);
        };
    }

    /** {@code validates :config, mutually_exclusive_keys: ...}: the keys named in configuration order. */
    private static void exclusive(String location, Map<String, Object> job, Set<String> keys, List<String> errors) {
        List<String> present = job.keySet().stream().filter(keys::contains).toList();
        if (present.size() > 1) {
            errors.add(config(location, "these keys cannot be used together: " + String.join(", ", present)));
        }
    }

    /** Entry::Job's composed check: with {@code needs:}, every dependency must be a need. */
    private static Optional<String> dependenciesOutsideNeeds(String location, Map<String, Object> job) {
        Object dependencies = job.get("dependencies");
        Object needs = job.get("needs");
        if (isBlank(dependencies) || needs == null) {
            return Optional.empty();
        }
        List<String> needed = EntrySyntax.flatten(needs).stream()
                .map(need -> isHash(need) ? hash(need).get("job") : need)
                .map(ConfigValues::toS)
                .toList();
        if (needed.isEmpty()) {
            return Optional.empty();
        }
        List<String> missing = ConfigValues.array(dependencies).stream()
                .map(ConfigValues::toS)
                .filter(dependency -> !needed.contains(dependency))
                .toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(attribute(location, "dependencies",
                "the " + String.join(", ", missing) + " should be part of needs"));
    }
}
