package io.jobyard.domain.job;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitLab's ProcessBuildService#valid_statuses_for_build: which composite status of what a job waits for lets it go
 * ahead. A DAG job (one with {@code needs}) that is on_success, manual or delayed needs "success"; a skipped need
 * skips it.
 */
class WhenConditionTest {

    @ParameterizedTest(name = "{0}: stages {2}, needs {3} after {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # when     | preceding | stage-based | dag
            on_success | success   | true        | true
            on_success | skipped   | true        | false
            on_success | failed    | false       | false
            on_success | canceled  | false       | false
            manual     | success   | true        | true
            manual     | skipped   | true        | false
            manual     | failed    | false       | false
            delayed    | success   | true        | true
            delayed    | skipped   | true        | false
            delayed    | failed    | false       | false
            on_failure | failed    | true        | true
            on_failure | success   | false       | false
            on_failure | skipped   | false       | false
            always     | success   | true        | true
            always     | failed    | true        | true
            always     | skipped   | true        | true
            always     | canceled  | false       | false
            never      | success   | false       | false
            never      | skipped   | false       | false
            """)
    void validPrecedingStatuses(String when, String preceding, boolean stageBased, boolean dag) {
        WhenCondition condition = WhenCondition.fromWireName(when).orElseThrow();
        JobStatus status = JobStatus.fromWireName(preceding).orElseThrow();
        assertThat(condition.startsAfter(status)).isEqualTo(stageBased);
        assertThat(condition.startsAfter(status, false)).isEqualTo(stageBased);
        assertThat(condition.startsAfter(status, true)).isEqualTo(dag);
    }
}
