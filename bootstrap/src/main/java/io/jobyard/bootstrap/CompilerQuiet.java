package io.jobyard.bootstrap;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Tells when the JIT compilers have caught up with a workload: a whole window passed in which they spent less than a
 * small share of it compiling. The warm-up runs until then (or its time is up), because what makes a fresh server
 * slow is the queue of hot methods waiting for C2, and how long that queue takes depends on the machine, not on a
 * fixed number of seconds: on two quiet cores it outlasted a 10 s warm-up by half a minute.
 */
final class CompilerQuiet {
    static final Duration WINDOW = Duration.ofSeconds(3);
    /** Compiling less than this share of a window counts as quiet: a method now and then, not a queue. */
    static final double QUIET_SHARE = 0.05;

    private final LongSupplier compileMillis;
    private final long windowNanos;
    private final double share;
    private long windowStart;
    private long compiledAtWindowStart;
    private boolean started;

    /**
     * @param compileMillis the compilers' accumulated time in milliseconds (all compiler threads together)
     */
    CompilerQuiet(LongSupplier compileMillis, Duration window, double share) {
        this.compileMillis = Objects.requireNonNull(compileMillis, "compileMillis");
        this.windowNanos = window.toNanos();
        this.share = share;
    }

    /** This JVM's compilers, if it reports their time. */
    static Optional<CompilerQuiet> ofThisJvm() {
        CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
        if (compilation == null || !compilation.isCompilationTimeMonitoringSupported()) {
            return Optional.empty();
        }
        return Optional.of(new CompilerQuiet(compilation::getTotalCompilationTime, WINDOW, QUIET_SHARE));
    }

    /**
     * Whether a window ended at {@code now} ({@link System#nanoTime()}) in which the compilers were quiet; asked now
     * and then, it starts a new window each time one has passed. Never true for the first window.
     */
    boolean quietAt(long now) {
        if (!started) {
            started = true;
            windowStart = now;
            compiledAtWindowStart = compileMillis.getAsLong();
            return false;
        }
        long elapsed = now - windowStart;
        if (elapsed < windowNanos) {
            return false;
        }
        long compiled = compileMillis.getAsLong();
        boolean quiet = (compiled - compiledAtWindowStart) * 1_000_000.0 < share * elapsed;
        windowStart = now;
        compiledAtWindowStart = compiled;
        return quiet;
    }
}
