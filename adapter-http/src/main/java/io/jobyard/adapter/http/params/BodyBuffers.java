package io.jobyard.adapter.http.params;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory every small body being received may hold together. Each body is capped by its route's limit, but a
 * body arrives before its request is authenticated, so without a bound on the sum a few hundred anonymous connections,
 * each sending a configuration-sized body slowly within the body timeout, would fill the heap. Bytes are counted as
 * they arrive (a declared length alone holds nothing, so a client must really send what it occupies) and given back
 * when the body is complete or has failed; a body that would pass the budget is refused ({@link BodyFailure#BUSY}).
 * A received body's copy lives on only while its request is served, which the worker pool bounds.
 */
public final class BodyBuffers {
    private final long budget;
    private final AtomicLong held = new AtomicLong();

    /** @param budget the bytes all bodies being received may hold at once */
    public BodyBuffers(long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("the body buffer budget must be positive");
        }
        this.budget = budget;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when they do not fit. */
    boolean tryHold(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > budget) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back what {@link #tryHold} took. */
    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    /** The bytes held right now. */
    public long held() {
        return held.get();
    }
}
