package io.jobyard.application.memory;

import io.jobyard.application.port.out.SecretCipher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A {@link SecretCipher} for tests of the stores: keeps the contract (the plaintext never appears in the sealed text, a
 * sealed value opens only under its key and context, altering it is noticed) with a keyed XOR stream and a checksum —
 * no secrecy against anyone who reads this class. The real cipher (AES-GCM) is the host's.
 */
public final class FakeSecretCipher implements SecretCipher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String keyId;

    public FakeSecretCipher(String keyId) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        byte[] text = plaintext.getBytes(StandardCharsets.UTF_8);
        byte[] mixed = xor(text, nonce, context);
        return "fake:" + keyId + ":" + Base64.getEncoder().encodeToString(nonce) + ":"
                + Base64.getEncoder().encodeToString(mixed) + ":" + check(text, context);
    }

    @Override
    public String open(String sealed, String context) {
        String[] parts = sealed.split(":");
        if (parts.length != 5 || !parts[0].equals("fake")) {
            throw new IllegalStateException("not a sealed value");
        }
        if (!parts[1].equals(keyId)) {
            throw new IllegalStateException("sealed under key " + parts[1] + ", which is not configured");
        }
        byte[] text;
        try {
            text = xor(Base64.getDecoder().decode(parts[3]), Base64.getDecoder().decode(parts[2]), context);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a sealed value was altered", e);
        }
        if (!check(text, context).equals(parts[4])) {
            throw new IllegalStateException("a sealed value was altered or moved");
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    private byte[] xor(byte[] bytes, byte[] nonce, String context) {
        byte[] out = bytes.clone();
        byte[] key = (keyId + context).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < out.length; i++) {
            out[i] ^= (byte) (key[i % key.length] + nonce[i % nonce.length] + i * 31);
        }
        return out;
    }

    private String check(byte[] text, String context) {
        return Integer.toHexString(java.util.Arrays.hashCode(text) * 31 + (keyId + context).hashCode());
    }
}
