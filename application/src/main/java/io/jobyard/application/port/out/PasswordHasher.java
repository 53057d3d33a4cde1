package io.jobyard.application.port.out;

/**
 * A slow, salted password hash from a well-kept library. The encoded form carries the algorithm, its parameters and
 * the salt, so parameters can be raised later and old hashes still verify ({@link #needsRehash}).
 */
public interface PasswordHasher {

    /** A new encoded hash of {@code password} with a fresh random salt. */
    String hash(String password);

    /** Whether {@code password} matches {@code encoded}, in time that does not depend on how much of it matched. */
    boolean verify(String password, String encoded);

    /** Whether {@code encoded} was made with other parameters than new hashes get (and should be replaced). */
    boolean needsRehash(String encoded);
}
