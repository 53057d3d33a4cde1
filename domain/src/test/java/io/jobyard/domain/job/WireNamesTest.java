package io.jobyard.domain.job;

import io.jobyard.domain.pipeline.PipelineSource;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The enums' wire names and codes, now looked up in tables worked out once, still answer as GitLab's values. */
class WireNamesTest {
    @Test
    void everyJobStatusRoundTripsByCodeAndWireName() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(status.wireName()).isEqualTo(status.name().toLowerCase(Locale.ROOT));
            assertThat(JobStatus.fromWireName(status.wireName())).contains(status);
            assertThat(JobStatus.fromCode(status.code())).isSameAs(status);
        }
        assertThat(JobStatus.fromWireName("Success")).isEmpty();
        assertThat(JobStatus.fromWireName(null)).isEmpty();
        assertThatThrownBy(() -> JobStatus.fromCode(13)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobStatus.fromCode(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenConditionsAndPipelineSourcesRoundTrip() {
        for (WhenCondition when : WhenCondition.values()) {
            assertThat(WhenCondition.fromWireName(when.wireName())).contains(when);
        }
        assertThat(WhenCondition.fromWireName("on_success")).contains(WhenCondition.ON_SUCCESS);
        assertThat(WhenCondition.fromWireName("sometimes")).isEmpty();
        assertThat(WhenCondition.fromWireName(null)).isEmpty();
        for (PipelineSource source : PipelineSource.values()) {
            assertThat(PipelineSource.fromWireName(source.wireName())).contains(source);
        }
        assertThat(PipelineSource.fromWireName("merge_request_event")).contains(PipelineSource.MERGE_REQUEST_EVENT);
        assertThat(PipelineSource.fromWireName("Push")).isEmpty();
    }
}
