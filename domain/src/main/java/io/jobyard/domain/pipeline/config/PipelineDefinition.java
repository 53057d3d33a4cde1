package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;

import java.util.List;

/**
 * What a {@code .gitlab-ci.yml} defines: the pipeline's stages (with GitLab's {@code .pre} first and {@code .post}
 * last), its jobs in configuration order, and the top-level {@code variables:} (the runner payload merges them under
 * each job's own variables, which are in {@link JobSpec#variables()}).
 */
public record PipelineDefinition(List<String> stages, List<JobSpec> jobs, List<JobVariable> variables) {
    public PipelineDefinition {
        stages = List.copyOf(stages);
        jobs = List.copyOf(jobs);
        variables = List.copyOf(variables);
    }
}
