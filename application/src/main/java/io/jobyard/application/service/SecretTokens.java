package io.jobyard.application.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Secrets Jobyard hands out (access tokens, job tokens, runner tokens) and the only form in which it keeps them: the
 * SHA-256 digest in lowercase hex. A stolen database therefore holds no usable credential.
 */
public final class SecretTokens {
    /** GitLab's prefix of CI job tokens ("GitLab CI build token"): public, the rest of the token is the secret. */
    public static final String JOB_TOKEN_PREFIX = "glcbt-";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 20 random bytes: 160 bits, as many as GitLab's tokens carry. */
    private static final int RANDOM_BYTES = 20;

    private SecretTokens() {
    }

    /**
     * A new secret: {@code prefix} (GitLab's are {@code glpat-}, {@code glcbt-}, {@code glrt-}) followed by 27 URL-safe
     * random characters.
     */
    public static String generate(String prefix) {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return Objects.requireNonNull(prefix, "prefix") + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The digest under which a secret is stored and looked up. */
    public static String digest(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /**
     * Whether {@code secret} hashes to {@code storedDigest}, compared in constant time so the comparison itself leaks
     * nothing about how much of a guess was right.
     */
    public static boolean matches(String secret, String storedDigest) {
        if (secret == null || storedDigest == null || storedDigest.length() != 64) {
            return false;
        }
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedDigest);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret), stored);
    }

    private static byte[] sha256(String secret) {
        Objects.requireNonNull(secret, "secret");
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
