package io.jobyard.examples.encryption;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;

/** A fresh random 256-bit master key per test; a real host loads its key from a secret store. */
final class Keys {
    private Keys() {
    }

    static SecretKey random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }
}
