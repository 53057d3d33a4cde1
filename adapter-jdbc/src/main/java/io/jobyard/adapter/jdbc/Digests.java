package io.jobyard.adapter.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Token digests are found through an index, then compared in constant time before they count as a match. */
final class Digests {
    private Digests() {
    }

    static boolean equal(String stored, String presented) {
        if (stored == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
