package io.jobyard.bootstrap.bench;

import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the live-log benchmarks share: the log lines they send and how they report latencies, heap and load. */
final class BenchFigures {
    private BenchFigures() {
    }

    /** A log line of exactly {@code size} bytes as a runner writes them: a coloured step prompt, then filler. */
    static byte[] line(int number, int size) {
        StringBuilder text = new StringBuilder("\u001b[32m$ step ").append(number).append("\u001b[0m ");
        while (text.length() < size - 1) {
            text.append('x');
        }
        return (text.substring(0, size - 1) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code percentile} of sorted nanosecond latencies, in milliseconds (nearest rank); NaN when none. */
    static double ms(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** The heap in use after a few collections: what the follows themselves hold. */
    static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The machine's load averages, so that a figure taken on a busy machine says so. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
