package io.jobyard.domain.pipeline;

import io.jobyard.domain.job.JobStatus;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * GitLab's {@code Gitlab::Ci::Status::Composite}: the one status that stands for a set of jobs (a stage, the needs of a
 * job, a whole pipeline). Allowed failures count as "success with warnings"; manual jobs that may fail are "ignored".
 */
public final class CompositeStatus {

    /** One job's contribution: its status and whether it may fail. */
    public record Entry(JobStatus status, boolean allowFailure) {
    }

    private enum Token { SUCCESS_WITH_WARNINGS, IGNORED }

    private CompositeStatus() {
    }

    /**
     * @param dag true when computing the status of a job's needs: any skipped or ignored need then makes it skipped
     * @return the composite status, empty for no entries
     */
    public static Optional<JobStatus> of(Collection<Entry> entries, boolean dag) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        Set<Token> tokens = new HashSet<>();
        for (Entry entry : entries) {
            if (entry.allowFailure() && (entry.status() == JobStatus.FAILED || entry.status() == JobStatus.CANCELED)) {
                tokens.add(Token.SUCCESS_WITH_WARNINGS);
            } else if (entry.allowFailure() && entry.status() == JobStatus.MANUAL) {
                tokens.add(Token.IGNORED);
            } else {
                statuses.add(entry.status());
            }
        }
        return Optional.of(compose(statuses, tokens, dag));
    }

    private static JobStatus compose(Set<JobStatus> s, Set<Token> t, boolean dag) {
        boolean sww = t.contains(Token.SUCCESS_WITH_WARNINGS);
        boolean ignored = t.contains(Token.IGNORED);
        if (dag && (s.contains(JobStatus.SKIPPED) || ignored)) {
            // A DAG job is skipped when one of its needs does not run at all.
            return JobStatus.SKIPPED;
        }
        if (dag && !onlyOf(s, t, EnumSet.of(JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELED,
                JobStatus.SKIPPED), true, false)) {
            // A DAG job waits while any of its needs is not complete.
            return JobStatus.PENDING;
        }
        if (onlyOf(s, t, EnumSet.of(JobStatus.SKIPPED), false, true)) {
            return JobStatus.SKIPPED;
        }
        if (onlyOf(s, t, EnumSet.of(JobStatus.SUCCESS, JobStatus.SKIPPED), true, true)) {
            return JobStatus.SUCCESS;
        }
        if (onlyOf(s, t, EnumSet.of(JobStatus.CREATED), true, true)) {
            return JobStatus.CREATED;
        }
        if (onlyOf(s, t, EnumSet.of(JobStatus.PREPARING), true, true)) {
            return JobStatus.PREPARING;
        }
        if (onlyOf(s, t, EnumSet.of(JobStatus.CANCELED, JobStatus.SUCCESS, JobStatus.SKIPPED), true, true)) {
            return JobStatus.CANCELED;
        }
        if (onlyOf(s, t, EnumSet.of(JobStatus.PENDING, JobStatus.CREATED, JobStatus.SKIPPED), true, true)) {
            return JobStatus.PENDING;
        }
        if (s.contains(JobStatus.RUNNING) || s.contains(JobStatus.PENDING)) {
            return JobStatus.RUNNING;
        }
        if (s.contains(JobStatus.WAITING_FOR_RESOURCE)) {
            return JobStatus.WAITING_FOR_RESOURCE;
        }
        if (s.contains(JobStatus.WAITING_FOR_CALLBACK)) {
            return JobStatus.WAITING_FOR_CALLBACK;
        }
        if (s.contains(JobStatus.MANUAL)) {
            return JobStatus.MANUAL;
        }
        if (s.contains(JobStatus.SCHEDULED)) {
            return JobStatus.SCHEDULED;
        }
        if (s.contains(JobStatus.PREPARING)) {
            return JobStatus.PREPARING;
        }
        if (s.contains(JobStatus.CREATED)) {
            return JobStatus.RUNNING;
        }
        if (s.contains(JobStatus.CANCELING)) {
            // Newer GitLab versions know canceling; the version this mirrors would fall through to failed.
            return JobStatus.CANCELING;
        }
        return JobStatus.FAILED;
    }

    /**
     * GitLab's {@code only_of?(*names)}: at least one of the names is present and nothing else is. The two tokens
     * count as names when {@code allowWarnings} / {@code allowIgnored} say they are among them.
     */
    private static boolean onlyOf(Set<JobStatus> statuses, Set<Token> tokens, Set<JobStatus> allowed,
                                  boolean allowWarnings, boolean allowIgnored) {
        int size = statuses.size() + tokens.size();
        int matching = 0;
        for (JobStatus status : statuses) {
            if (allowed.contains(status)) {
                matching++;
            }
        }
        if (allowWarnings && tokens.contains(Token.SUCCESS_WITH_WARNINGS)) {
            matching++;
        }
        if (allowIgnored && tokens.contains(Token.IGNORED)) {
            matching++;
        }
        return matching > 0 && matching == size;
    }
}
