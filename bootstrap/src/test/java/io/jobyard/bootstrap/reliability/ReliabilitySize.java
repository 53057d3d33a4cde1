package io.jobyard.bootstrap.reliability;

/**
 * How big a reliability run is: reduced inside {@code mvn -B verify}, full with {@code -Dreliability.full=true}
 * (what {@code bench/reliability} passes). Each figure can also be set alone, e.g.
 * {@code -Dreliability.crash.rounds=5}.
 */
final class ReliabilitySize {
    private ReliabilitySize() {
    }

    static boolean full() {
        return Boolean.getBoolean("reliability.full");
    }

    static int of(String name, int reduced, int full) {
        return Integer.getInteger("reliability." + name, full() ? full : reduced);
    }

    static long seed(String name) {
        return Long.getLong("reliability." + name + ".seed", System.nanoTime());
    }
}
