package io.jobyard.application.service.runner;

import io.jobyard.domain.job.Job;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The instance settings of the runner protocol.
 *
 * @param externalUrl       the URL clients and runners reach Jobyard at ({@code https://ci.example.com}, optionally
 *                          with a path); it builds {@code CI_SERVER_URL}, {@code CI_API_V4_URL} and the clone URL
 * @param defaultJobTimeout a job's timeout when its definition sets none (GitLab's project default: one hour)
 * @param jobTokenLeeway    how long after its job's timeout a job token still works: the runner runs after_script
 *                          and uploads artifacts after a timeout, and must be able to report the failure
 * @param defaultGitDepth   {@code git_info.depth} unless the job sets {@code GIT_DEPTH} (GitLab's default: 20)
 */
public record RunnerSettings(URI externalUrl, Duration defaultJobTimeout, Duration jobTokenLeeway,
                             int defaultGitDepth) {

    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_TOKEN_LEEWAY = Duration.ofMinutes(10);
    public static final int DEFAULT_GIT_DEPTH = 20;

    public RunnerSettings {
        Objects.requireNonNull(externalUrl, "externalUrl");
        Objects.requireNonNull(defaultJobTimeout, "defaultJobTimeout");
        Objects.requireNonNull(jobTokenLeeway, "jobTokenLeeway");
        if (!externalUrl.isAbsolute() || externalUrl.getHost() == null
                || !("http".equals(externalUrl.getScheme()) || "https".equals(externalUrl.getScheme()))) {
            throw new IllegalArgumentException("external URL must be an absolute http(s) URL: " + externalUrl);
        }
        if (externalUrl.getRawQuery() != null || externalUrl.getRawFragment() != null
                || externalUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("external URL must not carry user info, a query or a fragment");
        }
        if (defaultJobTimeout.isNegative() || defaultJobTimeout.isZero()) {
            throw new IllegalArgumentException("default job timeout must be positive");
        }
        if (jobTokenLeeway.isNegative()) {
            throw new IllegalArgumentException("job token leeway must not be negative");
        }
        if (defaultGitDepth < 0) {
            throw new IllegalArgumentException("git depth must not be negative");
        }
    }

    /** GitLab's defaults for everything but the URL. */
    public static RunnerSettings of(URI externalUrl) {
        return new RunnerSettings(externalUrl, DEFAULT_JOB_TIMEOUT, DEFAULT_TOKEN_LEEWAY, DEFAULT_GIT_DEPTH);
    }

    /** The external URL without a trailing slash: {@code https://ci.example.com} or {@code https://host/ci}. */
    public String serverUrl() {
        String url = externalUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The job's own timeout, or the default. */
    public Duration timeoutOf(Job job) {
        Integer seconds = job.spec().execution().timeoutSeconds();
        return seconds == null || seconds <= 0 ? defaultJobTimeout : Duration.ofSeconds(seconds);
    }

    /** When the job's token stops working: its timeout after it started, plus the leeway; empty if it never started. */
    public Optional<Instant> tokenExpiresAt(Job job) {
        if (job.startedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(job.startedAt().plus(timeoutOf(job)).plus(jobTokenLeeway));
    }
}
