package io.jobyard.adapter.http.runner;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How the log offset is read from {@code Content-Range}: GitLab takes the start with Ruby's {@code to_i}. */
class AppendTraceEndpointTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0-5|0",
            "1024-2047|1024",
            " 7-8|7",
            "12|12",
            "bytes 5-9|0",
            "-5|0",
            "''|0",
            "99999999999999999999999-1|9223372036854775807"})
    void only_the_start_counts(String contentRange, long offset) {
        assertThat(AppendTraceEndpoint.rangeStart(contentRange)).isEqualTo(offset);
    }
}
