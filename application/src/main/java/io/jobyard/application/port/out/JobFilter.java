package io.jobyard.application.port.out;

import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.UserId;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a job list keeps: every condition that is set must hold (AND); null (or empty, for the statuses) does not
 * filter. Time bounds are inclusive, as GitLab's pipeline list reads its {@code updated_after} ({@code >=}) and
 * {@code updated_before} ({@code <=}); a finish bound never matches a job that has not finished.
 *
 * @param statuses       GitLab's {@code scope}: the job has one of these statuses
 * @param name           the job's name exactly, or with {@code *} standing for any run of characters ({@code rspec*})
 * @param stage          the job's stage
 * @param ref            the job's ref (branch or tag name)
 * @param sha            the commit of the job's pipeline
 * @param pipeline       the job's pipeline
 * @param user           who triggered the job
 * @param runner         the runner that ran (or runs) it
 * @param failureReason  why it failed
 * @param source         the source of its pipeline
 * @param tag            one of the job's tags (runner tags of its definition)
 * @param withArtifacts  true: the job has an artifact other than its log; false: it has none
 * @param artifactType   the job has an artifact of this type
 * @param includeRetried false keeps only the latest job of each name (retried jobs are left out)
 */
public record JobFilter(Set<JobStatus> statuses, String name, String stage, String ref, String sha,
                        PipelineId pipeline, UserId user, RunnerId runner, FailureReason failureReason,
                        PipelineSource source, String tag, Boolean withArtifacts, ArtifactFileType artifactType,
                        Instant createdAfter, Instant createdBefore, Instant updatedAfter, Instant updatedBefore,
                        Instant finishedAfter, Instant finishedBefore, boolean includeRetried) {

    /** Every job, retried ones included. */
    public static final JobFilter ALL = builder().build();

    public JobFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    /** Whether {@link #name} is a pattern rather than a name. */
    public boolean nameIsGlob() {
        return name != null && name.indexOf('*') >= 0;
    }

    /** {@link #name} as a regular expression matching whole names. */
    public Pattern namePattern() {
        if (name == null) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        String[] literals = name.split("\\*", -1);
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!literals[i].isEmpty()) {
                regex.append(Pattern.quote(literals[i]));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * Whether {@code job} passes the conditions that the job record alone decides: everything but {@link #sha},
     * {@link #source}, {@link #withArtifacts} and {@link #artifactType}, which need its pipeline and artifacts.
     */
    public boolean matchesRecord(Job job) {
        return (statuses.isEmpty() || statuses.contains(job.status()))
                && (name == null || (nameIsGlob() ? namePattern().matcher(job.name()).matches()
                        : name.equals(job.name())))
                && (stage == null || stage.equals(job.stage()))
                && (ref == null || ref.equals(job.ref()))
                && (pipeline == null || pipeline.equals(job.pipelineId()))
                && (user == null || user.equals(job.userId()))
                && (runner == null || runner.equals(job.runnerId()))
                && (failureReason == null || failureReason == job.failureReason())
                && (tag == null || job.spec().tags().contains(tag))
                && within(job.createdAt(), createdAfter, createdBefore)
                && within(job.updatedAt(), updatedAfter, updatedBefore)
                && (finishedAfter == null && finishedBefore == null
                        || job.finishedAt() != null && within(job.finishedAt(), finishedAfter, finishedBefore))
                && (includeRetried || !job.retried());
    }

    private static boolean within(Instant value, Instant after, Instant before) {
        return (after == null || !value.isBefore(after)) && (before == null || !value.isAfter(before));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a filter; everything unset does not filter, retried jobs are included. */
    public static final class Builder {
        private Set<JobStatus> statuses = Set.of();
        private String name;
        private String stage;
        private String ref;
        private String sha;
        private PipelineId pipeline;
        private UserId user;
        private RunnerId runner;
        private FailureReason failureReason;
        private PipelineSource source;
        private String tag;
        private Boolean withArtifacts;
        private ArtifactFileType artifactType;
        private Instant createdAfter;
        private Instant createdBefore;
        private Instant updatedAfter;
        private Instant updatedBefore;
        private Instant finishedAfter;
        private Instant finishedBefore;
        private boolean includeRetried = true;

        private Builder() {
        }

        private Builder(JobFilter f) {
            statuses = f.statuses;
            name = f.name;
            stage = f.stage;
            ref = f.ref;
            sha = f.sha;
            pipeline = f.pipeline;
            user = f.user;
            runner = f.runner;
            failureReason = f.failureReason;
            source = f.source;
            tag = f.tag;
            withArtifacts = f.withArtifacts;
            artifactType = f.artifactType;
            createdAfter = f.createdAfter;
            createdBefore = f.createdBefore;
            updatedAfter = f.updatedAfter;
            updatedBefore = f.updatedBefore;
            finishedAfter = f.finishedAfter;
            finishedBefore = f.finishedBefore;
            includeRetried = f.includeRetried;
        }

        public Builder statuses(Set<JobStatus> v) { statuses = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder stage(String v) { stage = v; return this; }
        public Builder ref(String v) { ref = v; return this; }
        public Builder sha(String v) { sha = v; return this; }
        public Builder pipeline(PipelineId v) { pipeline = v; return this; }
        public Builder user(UserId v) { user = v; return this; }
        public Builder runner(RunnerId v) { runner = v; return this; }
        public Builder failureReason(FailureReason v) { failureReason = v; return this; }
        public Builder source(PipelineSource v) { source = v; return this; }
        public Builder tag(String v) { tag = v; return this; }
        public Builder withArtifacts(Boolean v) { withArtifacts = v; return this; }
        public Builder artifactType(ArtifactFileType v) { artifactType = v; return this; }
        public Builder createdAfter(Instant v) { createdAfter = v; return this; }
        public Builder createdBefore(Instant v) { createdBefore = v; return this; }
        public Builder updatedAfter(Instant v) { updatedAfter = v; return this; }
        public Builder updatedBefore(Instant v) { updatedBefore = v; return this; }
        public Builder finishedAfter(Instant v) { finishedAfter = v; return this; }
        public Builder finishedBefore(Instant v) { finishedBefore = v; return this; }
        public Builder includeRetried(boolean v) { includeRetried = v; return this; }

        public JobFilter build() {
            return new JobFilter(statuses, name, stage, ref, sha, pipeline, user, runner, failureReason, source, tag,
                    withArtifacts, artifactType, createdAfter, createdBefore, updatedAfter, updatedBefore,
                    finishedAfter, finishedBefore, includeRetried);
        }
    }
}
