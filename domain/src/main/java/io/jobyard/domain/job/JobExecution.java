package io.jobyard.domain.job;

import io.jobyard.domain.text.TextLimit;

import java.util.List;
import java.util.Map;

/**
 * What a runner needs to execute a job, as the configuration gave it. Jobyard never interprets scripts; it keeps them
 * for the runner payload and clones them on retry.
 *
 * @param image        image name, or null for the runner's default
 * @param services     service image names
 * @param dependencies names of jobs whose artifacts this job downloads; null means "all of earlier stages"
 * @param artifacts    the artifacts to collect, or null when the job declares none
 * @param timeoutSeconds the job timeout, or null for the project default
 */
public record JobExecution(
        String image,
        List<String> services,
        List<String> beforeScript,
        List<String> script,
        List<String> afterScript,
        List<String> dependencies,
        ArtifactsSpec artifacts,
        Integer timeoutSeconds) {

    public static final JobExecution NONE =
            new JobExecution(null, List.of(), List.of(), List.of(), List.of(), null, null, null);

    public JobExecution {
        TextLimit.IMAGE.require(image);
        services = List.copyOf(services);
        beforeScript = List.copyOf(beforeScript);
        script = List.copyOf(script);
        afterScript = List.copyOf(afterScript);
        dependencies = dependencies == null ? null : List.copyOf(dependencies);
    }

    /** A job's {@code artifacts:} block. {@code reports} maps a report type (junit, ...) to its paths. */
    public record ArtifactsSpec(
            String name,
            List<String> paths,
            List<String> exclude,
            boolean untracked,
            String when,
            String expireIn,
            String access,
            Map<String, List<String>> reports) {
        public ArtifactsSpec {
            paths = List.copyOf(paths);
            exclude = List.copyOf(exclude);
            reports = Map.copyOf(reports);
        }
    }
}
