package io.jobyard.adapter.http.reply;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RangeRequestTest {
    @Test
    void boundedOpenAndSuffixRanges() {
        assertThat(RangeRequest.parse("bytes=0-99", 1000)).isEqualTo(new RangeRequest.Part(0, 100, 1000));
        assertThat(RangeRequest.parse("bytes=900-", 1000)).isEqualTo(new RangeRequest.Part(900, 100, 1000));
        assertThat(RangeRequest.parse("bytes=-10", 1000)).isEqualTo(new RangeRequest.Part(990, 10, 1000));
        assertThat(RangeRequest.parse("BYTES= 5-5 ", 1000)).isEqualTo(new RangeRequest.Part(5, 1, 1000));
    }

    @Test
    void rangesPastTheEndAreClipped() {
        assertThat(RangeRequest.parse("bytes=500-5000", 1000)).isEqualTo(new RangeRequest.Part(500, 500, 1000));
        assertThat(RangeRequest.parse("bytes=-5000", 1000)).isEqualTo(new RangeRequest.Part(0, 1000, 1000));
        assertThat(RangeRequest.parse("bytes=0-99999999999999999999999", 1000))
                .isEqualTo(new RangeRequest.Part(0, 1000, 1000));
    }

    @Test
    void aStartAtOrPastTheEndIsUnsatisfiable() {
        assertThat(RangeRequest.parse("bytes=1000-", 1000)).isEqualTo(new RangeRequest.Unsatisfiable(1000));
        assertThat(RangeRequest.parse("bytes=1000-2000", 1000)).isEqualTo(new RangeRequest.Unsatisfiable(1000));
        assertThat(RangeRequest.parse("bytes=-0", 1000)).isEqualTo(new RangeRequest.Unsatisfiable(1000));
        assertThat(((RangeRequest.Unsatisfiable) RangeRequest.parse("bytes=99999999999999999999-", 10))
                .contentRange()).isEqualTo("bytes */10");
    }

    @Test
    void whatIsNotOneValidByteRangeIsIgnored() {
        for (String header : new String[]{null, "", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "items=0-1",
                "bytes=0-1,3-4", "bytes=1-2-3", "bytes=--1"}) {
            assertThat(RangeRequest.parse(header, 1000)).as(String.valueOf(header)).isEqualTo(new RangeRequest.Whole());
        }
    }

    @Test
    void emptyFilesIgnoreRanges() {
        assertThat(RangeRequest.parse("bytes=0-", 0)).isEqualTo(new RangeRequest.Whole());
    }

    @Test
    void contentRangeOfAPart() {
        assertThat(new RangeRequest.Part(10, 5, 100).contentRange()).isEqualTo("bytes 10-14/100");
    }
}
