package io.jobyard.domain.pipeline;

import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GitLab's {@code Gitlab::Ci::Status::Composite#status} ({@code lib/gitlab/ci/status/composite.rb}), case by case.
 * An entry written {@code failed~} is a job that may fail ({@code allow_failure: true}): failed~ and canceled~ count
 * as "success with warnings", manual~ as "ignored". The expected values were worked out by hand from the Ruby rules,
 * in their order.
 */
class CompositeStatusTest {

    static List<CompositeStatus.Entry> entries(String text) {
        List<CompositeStatus.Entry> entries = new ArrayList<>();
        for (String token : text.trim().split("\\s+")) {
            boolean allowFailure = token.endsWith("~");
            String name = allowFailure ? token.substring(0, token.length() - 1) : token;
            entries.add(new CompositeStatus.Entry(JobStatus.fromWireName(name)
                    .orElseThrow(() -> new IllegalArgumentException(name)), allowFailure));
        }
        return entries;
    }

    @ParameterizedTest(name = "[{0}] → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # entries                          | status
            success                            | success
            success success                    | success
            success skipped                    | success
            skipped                            | skipped
            skipped skipped                    | skipped
            # only warnings: failed/canceled jobs that may fail are success with warnings
            failed~                            | success
            canceled~                          | success
            failed~ canceled~                  | success
            success failed~                    | success
            skipped failed~                    | success
            # only ignored: a manual job that may fail does not count
            manual~                            | skipped
            skipped manual~                    | skipped
            success manual~                    | success
            manual~ failed~                    | success
            # a job that may fail but has not failed counts as itself
            success~                           | success
            running~                           | running
            manual~ created                    | created
            # created, preparing and pending with warnings or ignored jobs
            created                            | created
            created failed~                    | created
            created manual~                    | created
            preparing                          | preparing
            preparing canceled~                | preparing
            pending                            | pending
            pending created                    | pending
            pending skipped                    | pending
            pending created skipped failed~    | pending
            # canceled
            canceled                           | canceled
            canceled success                   | canceled
            canceled skipped failed~ manual~   | canceled
            # anything running or pending beside finished jobs is running
            pending success                    | running
            running                            | running
            running success                    | running
            running failed                     | running
            running manual                     | running
            waiting_for_resource pending       | running
            created success                    | running
            created failed                     | running
            # then the first of these present decides
            waiting_for_resource               | waiting_for_resource
            waiting_for_resource success       | waiting_for_resource
            waiting_for_resource manual        | waiting_for_resource
            waiting_for_callback success       | waiting_for_callback
            manual                             | manual
            manual success                     | manual
            manual created                     | manual
            manual scheduled                   | manual
            manual preparing                   | manual
            manual canceling                   | manual
            scheduled                          | scheduled
            scheduled success                  | scheduled
            scheduled created                  | scheduled
            preparing success                  | preparing
            preparing created                  | preparing
            canceling                          | canceling
            canceling success                  | canceling
            canceling failed                   | canceling
            # failed is what remains
            failed                             | failed
            failed success                     | failed
            failed canceled                    | failed
            failed skipped                     | failed
            failed manual~                     | failed
            failed canceled~                   | failed
            """)
    void stageAndPipelineStatus(String entries, String expected) {
        assertThat(CompositeStatus.of(entries(entries), false))
                .contains(JobStatus.fromWireName(expected).orElseThrow());
    }

    @ParameterizedTest(name = "needs [{0}] → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # entries                          | status
            success                            | success
            success success                    | success
            failed~                            | success
            success canceled~                  | success
            # a need that does not run at all skips the job
            skipped                            | skipped
            success skipped                    | skipped
            failed skipped                     | skipped
            running skipped                    | skipped
            manual~                            | skipped
            success manual~                    | skipped
            # a need that is not complete makes the job wait
            running                            | pending
            success running                    | pending
            created                            | pending
            pending                            | pending
            preparing                          | pending
            waiting_for_resource               | pending
            waiting_for_callback               | pending
            manual                             | pending
            scheduled                          | pending
            canceling                          | pending
            failed running                     | pending
            created failed~                    | pending
            # complete needs compose as a stage would
            failed                             | failed
            success failed                     | failed
            failed canceled                    | failed
            canceled                           | canceled
            success canceled                   | canceled
            """)
    void statusOfAJobsNeeds(String entries, String expected) {
        assertThat(CompositeStatus.of(entries(entries), true))
                .contains(JobStatus.fromWireName(expected).orElseThrow());
    }

    @Test
    void noJobsHaveNoStatus() {
        assertThat(CompositeStatus.of(List.of(), false)).isEmpty();
        assertThat(CompositeStatus.of(List.of(), true)).isEmpty();
    }

    @Test
    void theSameSetInAnyOrderAndMultiplicityGivesTheSameStatus() {
        assertThat(CompositeStatus.of(entries("success failed~ running success"), false))
                .isEqualTo(CompositeStatus.of(entries("running failed~ success"), false));
    }
}
