package io.jobyard.bootstrap;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CompilerQuietTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong compiledMillis = new AtomicLong();
    private final CompilerQuiet quiet = new CompilerQuiet(compiledMillis::get, Duration.ofSeconds(3), 0.05);

    @Test
    void busyCompilersAreNotQuietAndAWindowMustPassBeforeItCounts() {
        assertThat(quiet.quietAt(0)).as("the first look only starts a window").isFalse();
        compiledMillis.addAndGet(2_000);
        assertThat(quiet.quietAt(SECOND)).as("before the window is over").isFalse();
        assertThat(quiet.quietAt(3 * SECOND)).as("2 s of 3 compiling").isFalse();
        compiledMillis.addAndGet(200);
        assertThat(quiet.quietAt(6 * SECOND)).as("200 ms of 3 s: more than 5 %").isFalse();
    }

    @Test
    void aWindowWithLittleCompilingIsQuiet() {
        quiet.quietAt(0);
        compiledMillis.addAndGet(1_500);
        assertThat(quiet.quietAt(3 * SECOND)).isFalse();
        compiledMillis.addAndGet(100);
        assertThat(quiet.quietAt(6 * SECOND)).as("100 ms of 3 s").isTrue();
        compiledMillis.addAndGet(1_000);
        assertThat(quiet.quietAt(9 * SECOND)).as("a new burst").isFalse();
    }

    @Test
    void thisJvmReportsItsCompilersTime() {
        assertThat(CompilerQuiet.ofThisJvm()).isPresent();
    }
}
