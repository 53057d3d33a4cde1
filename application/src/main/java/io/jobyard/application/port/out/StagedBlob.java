package io.jobyard.application.port.out;

import java.util.Objects;

/**
 * An upload that has been written to the store's staging area but is not visible under any key yet. It can be read
 * back (to check it) and then published or discarded.
 *
 * @param stagingId the store's handle for it
 * @param sha256    hex SHA-256 of the bytes, computed while streaming them in
 */
public record StagedBlob(String stagingId, long size, String sha256) {
    public StagedBlob {
        Objects.requireNonNull(stagingId, "stagingId");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
