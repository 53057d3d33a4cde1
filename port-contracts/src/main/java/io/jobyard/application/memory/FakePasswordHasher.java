package io.jobyard.application.memory;

import io.jobyard.application.port.out.PasswordHasher;
import io.jobyard.application.service.SecretTokens;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast stand-in for the Argon2id adapter (tested on its own in adapter-crypto): salted SHA-256 in a
 * {@code fake$<version>$<salt>$<digest>} string, counting its calls so tests can see the work done.
 */
public final class FakePasswordHasher implements PasswordHasher {
    public final AtomicInteger hashes = new AtomicInteger();
    public final AtomicInteger verifications = new AtomicInteger();
    public volatile int version = 1;

    @Override
    public String hash(String password) {
        hashes.incrementAndGet();
        String salt = SecretTokens.generate("s");
        return "fake$" + version + "$" + salt + "$" + SecretTokens.digest(salt + password);
    }

    @Override
    public boolean verify(String password, String encoded) {
        verifications.incrementAndGet();
        String[] parts = encoded.split("\\$");
        return parts.length == 4 && SecretTokens.matches(parts[2] + password, parts[3]);
    }

    @Override
    public boolean needsRehash(String encoded) {
        return !encoded.startsWith("fake$" + version + "$");
    }
}
