package io.jobyard.domain.pipeline;

import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A pipeline's before-sha and repository override: GitLab's blank sha when none was told, kept through changes. */
class PipelineSourceFactsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static Pipeline pipeline(String sha) {
        return new Pipeline(PipelineId.of(1), 1, ProjectId.of(1), "main", false,
                Commit.ofSha(sha, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC)), PipelineSource.API,
                JobStatus.PENDING, List.of("test"), List.of(), null, T0, T0, null, null, 0);
    }

    @Test
    void withoutABeforeShaGitLabsBlankShaOfTheCommitsFormat() {
        assertThat(pipeline("a".repeat(40)).effectiveBeforeSha()).isEqualTo("0".repeat(40));
        assertThat(pipeline("b".repeat(64)).effectiveBeforeSha()).isEqualTo("0".repeat(64));
    }

    @Test
    void aToldBeforeShaAndRepositorySurviveStatusChanges() {
        Pipeline told = pipeline("a".repeat(40)).withSource("c".repeat(40), new RepositoryUrl("file:///srv/a.git"));
        Pipeline later = told.withStatus(JobStatus.RUNNING, T0.plusSeconds(1)).withLockVersion(3);
        assertThat(later.effectiveBeforeSha()).isEqualTo("c".repeat(40));
        assertThat(later.repository()).isEqualTo(new RepositoryUrl("file:///srv/a.git"));
    }

    @Test
    void aBeforeShaMustBeAnObjectName() {
        assertThatThrownBy(() -> pipeline("a".repeat(40)).withSource("HEAD~1", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
