package io.jobyard.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * A published blob as a listing of the store sees it.
 *
 * @param key          the key it was published under
 * @param size         its size in bytes
 * @param lastModified when its publish began, or later (a filesystem's modification time, an object's
 *                     {@code Last-Modified}); never earlier, which is what lets the orphan sweep measure a blob's age
 */
public record StoredBlob(String key, long size, Instant lastModified) {
    public StoredBlob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
