package io.jobyard.domain.pipeline.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab's logical validation ({@code Gitlab::Ci::YamlProcessor#run_logical_validations!}), run once the syntax is
 * valid: each job's stage must be declared, its dependencies and needs must name visible jobs of the same or an
 * earlier stage, a need may not be listed twice, and needs may not form a cycle. GitLab raises at the first problem,
 * so there is at most one error; the messages are GitLab's ({@code lib/gitlab/ci/yaml_processor.rb},
 * {@code lib/gitlab/ci/yaml_processor/dag.rb}).
 */
final class DependencyRules {
    private final List<ParsedJob> jobs;
    private final Map<String, ParsedJob> byName = new HashMap<>();
    private final List<String> stages;

    private DependencyRules(List<ParsedJob> jobs, List<String> stages) {
        this.jobs = jobs;
        this.stages = stages;
        jobs.forEach(job -> byName.put(job.name(), job));
    }

    /** @return GitLab's first logical error, if any */
    static Optional<String> firstError(List<ParsedJob> jobs, List<String> stages) {
        DependencyRules rules = new DependencyRules(jobs, stages);
        try {
            for (ParsedJob job : jobs) {
                rules.validate(job);
            }
            rules.checkCircularDependencies();
            return Optional.empty();
        } catch (LogicalError error) {
            return Optional.of(error.getMessage());
        }
    }

    private void validate(ParsedJob job) {
        if (!stages.contains(job.stage())) {
            throw new LogicalError(job.name() + " job: chosen stage " + job.stage()
                    + " does not exist; available stages are " + String.join(", ", stages));
        }
        if (job.dependencies() != null) {
            for (String dependency : job.dependencies()) {
                validateDependency(job, dependency, "dependency", false);
            }
        }
        if (job.needs() != null) {
            for (ParsedJob.Need need : job.needs()) {
                validateDependency(job, need.name(), "need", need.optional());
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            job.needs().forEach(need -> counts.merge(need.name(), 1, Integer::sum));
            List<String> duplicated = counts.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
            if (!duplicated.isEmpty()) {
                throw new LogicalError(job.name() + " has the following needs duplicated: "
                        + String.join(", ", duplicated) + ".");
            }
        }
    }

    private void validateDependency(ParsedJob job, String dependency, String type, boolean optional) {
        ParsedJob depended = byName.get(dependency);
        if (depended == null) {
            if (optional) {
                // An optional need of a job that is not in the pipeline is dropped, not refused.
                return;
            }
            throw new LogicalError(job.name() + " job: undefined " + type + ": " + dependency);
        }
        int jobStage = stages.indexOf(job.stage());
        int dependedStage = stages.indexOf(depended.stage());
        if (dependedStage < 0 || dependedStage > jobStage) {
            throw new LogicalError(job.name() + " job: " + type + " " + dependency
                    + " is not defined in current or prior stages");
        }
    }

    /**
     * {@code YamlProcessor::Dag.check_circular_dependencies!}: Ruby's TSort over the needs, in configuration order,
     * so the cycle GitLab names (a strongly connected component, in TSort's order) is the same.
     */
    private void checkCircularDependencies() {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        for (ParsedJob job : jobs) {
            nodes.put(job.name(), job.needs() == null
                    ? List.of() : job.needs().stream().map(ParsedJob.Need::name).toList());
        }
        Map<String, Integer> ids = new HashMap<>();
        List<String> stack = new ArrayList<>();
        for (String node : nodes.keySet()) {
            if (!ids.containsKey(node)) {
                stronglyConnected(node, nodes, ids, stack);
            }
        }
    }

    /** TSort's {@code each_strongly_connected_component_from}, raising at the first cyclic component. */
    private int stronglyConnected(String node, Map<String, List<String>> nodes, Map<String, Integer> ids,
                                  List<String> stack) {
        int nodeId = ids.size();
        ids.put(node, nodeId);
        int minimum = nodeId;
        int stackLength = stack.size();
        stack.add(node);
        List<String> children = nodes.get(node);
        if (children != null) {
            if (children.contains(node)) {
                throw cyclic("self-dependency: " + node);
            }
            for (String child : children) {
                if (ids.containsKey(child)) {
                    Integer childId = ids.get(child);
                    if (childId != null && childId < minimum) {
                        minimum = childId;
                    }
                } else {
                    minimum = Math.min(minimum, stronglyConnected(child, nodes, ids, stack));
                }
            }
        }
        if (nodeId == minimum) {
            List<String> component = new ArrayList<>(stack.subList(stackLength, stack.size()));
            stack.subList(stackLength, stack.size()).clear();
            component.forEach(member -> ids.put(member, null));
            if (component.size() != 1) {
                throw cyclic("topological sort failed: " + inspect(component));
            }
        }
        return minimum;
    }

    private static LogicalError cyclic(String detail) {
        return new LogicalError("The pipeline has circular dependencies: " + detail);
    }

    /** Ruby's {@code Array#inspect} of strings: {@code ["a", "b"]}. */
    private static String inspect(List<String> names) {
        List<String> quoted = new ArrayList<>();
        for (String name : names) {
            String escaped = name.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    .replace("\t", "\\t").replace("\r", "\\r").replace("#{", "\\#{").replace("#$", "\\#$")
                    .replace("#@", "\\#@");
            quoted.add("\"" + escaped + "\"");
        }
        return "[" + String.join(", ", quoted) + "]";
    }

    private static final class LogicalError extends RuntimeException {
        LogicalError(String message) {
            super(message, null, false, false);
        }
    }
}
