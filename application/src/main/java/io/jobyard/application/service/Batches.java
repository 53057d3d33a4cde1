package io.jobyard.application.service;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * How the sweeps work through what they claim: a bounded batch at a time, so no pass holds more than one batch in
 * memory or in one transaction.
 */
public final class Batches {
    private Batches() {
    }

    /** A sweep's batch size, checked once where the sweep is built. */
    public static int size(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        return batchSize;
    }

    /**
     * Reads a batch of candidates and offers each to {@code work}, then reads the next batch, until one is not full.
     * The work takes a candidate out of what {@code read} answers (a job that is no longer scheduled, or no longer
     * running), so the next read starts after the ones taken; a batch of which the work took none (every candidate
     * taken by another instance meanwhile, or failing) ends the run rather than being read again.
     *
     * @param read reads at most the given number of candidates
     * @param work whether it took the candidate
     * @return how many candidates the work took
     */
    public static <T> int drain(int batchSize, IntFunction<List<T>> read, Predicate<T> work) {
        int taken = 0;
        while (true) {
            List<T> batch = read.apply(batchSize);
            int takenNow = 0;
            for (T candidate : batch) {
                if (work.test(candidate)) {
                    takenNow++;
                }
            }
            taken += takenNow;
            if (batch.size() < batchSize || takenNow == 0) {
                return taken;
            }
        }
    }
}
