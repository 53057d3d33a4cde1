package io.jobyard.domain.artifact;

import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract §2.3 artifact predicates and §4 accessibility, expiry and locking. */
class JobArtifactsTest {

    private static final Instant NOW = JobFixtures.T0.plus(Duration.ofDays(1));
    private static final Instant PAST = NOW.minusSeconds(1);
    private static final Instant FUTURE = NOW.plusSeconds(1);

    private static long nextId = 1;

    static JobArtifact artifact(ArtifactFileType type, Instant expireAt, ArtifactAccessibility access) {
        return new JobArtifact(ArtifactId.of(nextId++), JobFixtures.created().id(), JobFixtures.PROJECT, type,
                type.requiredFormat(), type.defaultFilename(), 10, "00", expireAt, false, access,
                "key-" + nextId, JobFixtures.T0);
    }

    private static JobArtifacts artifacts(Instant jobExpireAt, boolean pipelineLocked, JobArtifact... all) {
        Job job = JobFixtures.inStatus(JobStatus.SUCCESS).withArtifactsExpireAt(jobExpireAt, JobFixtures.T0);
        return new JobArtifacts(job, List.of(all), pipelineLocked);
    }

    private static Instant at(String when) {
        return switch (when) {
            case "never" -> null;
            case "past" -> PAST;
            case "now" -> NOW;
            case "future" -> FUTURE;
            default -> throw new IllegalArgumentException(when);
        };
    }

    @ParameterizedTest(name = "archive={0} expiry={1} locked={2} → present={3} available={4} locked={5}")
    @CsvSource(delimiter = '|', textBlock = """
            # archive | job expiry | pipeline locked | artifacts? | available_artifacts? | locked_artifacts?
            true      | never      | false           | true       | true                 | false
            true      | future     | false           | true       | true                 | false
            true      | now        | false           | true       | true                 | false
            true      | past       | false           | false      | false                | false
            true      | past       | true            | false      | true                 | true
            true      | future     | true            | true       | true                 | true
            false     | never      | false           | false      | false                | false
            false     | never      | true            | false      | false                | false
            false     | past       | true            | false      | false                | false
            """)
    void presentAvailableAndLocked(boolean archive, String expiry, boolean pipelineLocked, boolean present,
                                   boolean available, boolean locked) {
        JobArtifact trace = artifact(ArtifactFileType.TRACE, null, ArtifactAccessibility.PUBLIC);
        JobArtifacts artifacts = archive
                ? artifacts(at(expiry), pipelineLocked, trace,
                        artifact(ArtifactFileType.ARCHIVE, at(expiry), ArtifactAccessibility.PUBLIC))
                : artifacts(at(expiry), pipelineLocked, trace);

        assertThat(artifacts.present(NOW)).as("artifacts?").isEqualTo(present);
        assertThat(artifacts.available(NOW)).as("available_artifacts?").isEqualTo(available);
        assertThat(artifacts.locked()).as("locked_artifacts?").isEqualTo(locked);
    }

    @Test
    void anArtifactExpiresOnceItsExpiryIsInThePast() {
        JobArtifact archive = artifact(ArtifactFileType.ARCHIVE, NOW, ArtifactAccessibility.PUBLIC);
        assertThat(archive.expired(NOW.minusMillis(1))).isFalse();
        assertThat(archive.expired(NOW)).isFalse();
        assertThat(archive.expired(NOW.plusMillis(1))).isTrue();
        assertThat(artifact(ArtifactFileType.ARCHIVE, null, ArtifactAccessibility.PUBLIC).expired(NOW)).isFalse();
    }

    @Test
    void keepingAnArtifactDropsItsExpiry() {
        JobArtifact kept = artifact(ArtifactFileType.ARCHIVE, PAST, ArtifactAccessibility.PUBLIC).withoutExpiry();
        assertThat(kept.expireAt()).isNull();
        assertThat(kept.expired(NOW.plus(Duration.ofDays(365)))).isFalse();
    }

    @Test
    void artifactsByType() {
        JobArtifact archive = artifact(ArtifactFileType.ARCHIVE, null, ArtifactAccessibility.PUBLIC);
        JobArtifact junit = artifact(ArtifactFileType.JUNIT, null, ArtifactAccessibility.PUBLIC);
        JobArtifacts artifacts = artifacts(null, false, junit, archive);

        assertThat(artifacts.archive()).contains(archive);
        assertThat(artifacts.ofType(ArtifactFileType.JUNIT)).contains(junit);
        assertThat(artifacts.trace()).isEmpty();
        assertThat(artifacts.anything()).isTrue();
        assertThat(artifacts(null, false).anything()).isFalse();
    }

    @Test
    void theArchiveDecidesAccessibilityAndNoArchiveMeansPublic() {
        assertThat(artifacts(null, false, artifact(ArtifactFileType.ARCHIVE, null, ArtifactAccessibility.PRIVATE),
                artifact(ArtifactFileType.JUNIT, null, ArtifactAccessibility.PUBLIC)).accessibility())
                .isEqualTo(ArtifactAccessibility.PRIVATE);
        assertThat(artifacts(null, false, artifact(ArtifactFileType.JUNIT, null, ArtifactAccessibility.NONE))
                .accessibility()).isEqualTo(ArtifactAccessibility.PUBLIC);
    }

    @Test
    void anArtifactMustHaveTheFormatItsTypeRequires() {
        assertThatThrownBy(() -> new JobArtifact(ArtifactId.of(1), JobFixtures.created().id(), JobFixtures.PROJECT,
                ArtifactFileType.ARCHIVE, ArtifactFormat.GZIP, "a.gz", 1, "00", null, false,
                ArtifactAccessibility.PUBLIC, "k", JobFixtures.T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid file format with specified file type");
    }

    @Test
    void anArtifactCannotHaveANegativeSize() {
        assertThatThrownBy(() -> new JobArtifact(ArtifactId.of(1), JobFixtures.created().id(), JobFixtures.PROJECT,
                ArtifactFileType.TRACE, ArtifactFormat.RAW, "job.log", -1, "00", null, false,
                ArtifactAccessibility.PUBLIC, "k", JobFixtures.T0)).isInstanceOf(IllegalArgumentException.class);
    }
}
