package io.jobyard.bootstrap.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches another JVM's memory while something runs against it: its used heap sampled every 50 ms by {@code jstat -gc}
 * (one process for the whole window, so sampling costs the server nothing but a shared-memory read), and its peak
 * resident size from {@code VmHWM} in {@code /proc/<pid>/status}, reset at the start of the window through
 * {@code clear_refs} (Linux ≥ 4.0; needs the server's user or root). Used heap counts garbage not yet collected: a
 * streaming download shows as young-generation churn bounded by the collector, not as growth with the file.
 */
final class ServerMemory implements AutoCloseable {
    private final long pid;
    private final Process jstat;
    private final Thread reader;
    private final AtomicLong peakHeapKiB = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final long heapBeforeKiB;

    private ServerMemory(long pid) throws IOException {
        this.pid = pid;
        heapBeforeKiB = sampleOnce(pid);
        resetPeakRss(pid);
        jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "50").redirectErrorStream(true).start();
        reader = new Thread(this::read, "jstat-reader");
        reader.setDaemon(true);
        reader.start();
        // jstat needs a moment to attach; a window that opened before its first sample would miss the start.
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (samples.get() == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    static ServerMemory watch(long pid) throws IOException {
        return new ServerMemory(pid);
    }

    /** What the window saw; ends sampling. */
    Figures stop() throws IOException, InterruptedException {
        jstat.destroy();
        jstat.waitFor();
        reader.join(2_000);
        return new Figures(heapBeforeKiB / 1024.0, peakHeapKiB.get() / 1024.0, peakRssKiB(pid) / 1024.0,
                samples.get());
    }

    @Override
    public void close() {
        jstat.destroyForcibly();
    }

    /**
     * @param heapBeforeMiB used heap when the window opened
     * @param peakHeapMiB   highest used heap sampled during the window (garbage included)
     * @param peakRssMiB    highest resident size during the window
     */
    record Figures(double heapBeforeMiB, double peakHeapMiB, double peakRssMiB, long samples) {
        @Override
        public String toString() {
            return String.format("heap before %.0f MiB, peak heap %.0f MiB, peak RSS %.0f MiB (%d heap samples)",
                    heapBeforeMiB, peakHeapMiB, peakRssMiB, samples);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> header = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> cells = Arrays.asList(line.trim().split("\\s+"));
                if (cells.contains("EU")) {
                    header = cells;
                } else if (header != null && cells.size() == header.size()) {
                    peakHeapKiB.accumulateAndGet(usedKiB(header, cells), Math::max);
                    samples.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process was stopped: the window is over.
        }
    }

    private static long sampleOnce(long pid) throws IOException {
        Process once = new ProcessBuilder("jstat", "-gc", Long.toString(pid)).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(once.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> header = Arrays.asList(in.readLine().trim().split("\\s+"));
            List<String> cells = Arrays.asList(in.readLine().trim().split("\\s+"));
            return usedKiB(header, cells);
        }
    }

    private static long usedKiB(List<String> header, List<String> cells) {
        double used = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            used += Double.parseDouble(cells.get(header.indexOf(column)));
        }
        return (long) used;
    }

    private static void resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException e) {
            System.err.println("cannot reset the peak RSS of " + pid + " (" + e.getMessage()
                    + "); VmHWM is then the peak since the server started");
        }
    }

    static long peakRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmHWM for " + pid);
    }
}
