package io.jobyard.application.service.pipeline;

/**
 * What one request may make of a pipeline, as GitLab limits it: {@code maxJobs} is GitLab's plan limit
 * {@code ci_pipeline_size} (2,000 on GitLab.com), {@code maxConfigBytes} and {@code maxConfigDepth} its application
 * settings {@code max_yaml_size_bytes} (2 MiB since GitLab 17.3) and {@code max_yaml_depth} (100). The configuration
 * limits are the YAML parser's to enforce ({@link io.jobyard.application.port.out.CiConfigParser}); the job count is
 * checked by the use cases, on the parsed configuration before it is compiled and again on what it compiles to.
 */
public record PipelineLimits(int maxJobs, long maxConfigBytes, int maxConfigDepth) {
    public static final PipelineLimits DEFAULTS = new PipelineLimits(2_000, 2L << 20, 100);

    public PipelineLimits {
        if (maxJobs < 1 || maxConfigBytes < 1 || maxConfigDepth < 1) {
            throw new IllegalArgumentException("pipeline limits must be positive");
        }
    }

    /** GitLab's {@code Gitlab::Ci::Pipeline::Quota::Size#message}. */
    public String tooManyJobs(long requested) {
        return "Pipeline has too many jobs! Requested " + requested + ", but the limit is " + maxJobs + ".";
    }
}
