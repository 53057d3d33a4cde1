package io.jobyard.application.service.session;

import io.jobyard.application.service.SecretTokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids and the CSRF tokens bound to them.
 *
 * <p>A session id is 32 random bytes (256 bits) from {@link SecureRandom}, URL-safe Base64: unguessable, and stored
 * only as its SHA-256 digest ({@link SecretTokens#digest}). A CSRF token is the session's CSRF secret — SHA-256 of a
 * fixed label and the session id, so it needs the id, which the database does not hold — masked Rails' way: a random
 * 32-byte pad followed by pad XOR secret, Base64. Every token differs, every one unmasks to the same secret.
 */
final class SessionSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_BYTES = 32;
    private static final int SECRET_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** Longer than any id this class makes; a longer one is refused before it is hashed. */
    static final int MAX_ID_LENGTH = 128;

    private SessionSecrets() {
    }

    static String newSessionId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    static String digest(String sessionId) {
        return SecretTokens.digest(sessionId);
    }

    static String csrfToken(String sessionId) {
        byte[] secret = csrfSecret(sessionId);
        byte[] token = new byte[2 * SECRET_BYTES];
        byte[] pad = new byte[SECRET_BYTES];
        RANDOM.nextBytes(pad);
        for (int i = 0; i < SECRET_BYTES; i++) {
            token[i] = pad[i];
            token[SECRET_BYTES + i] = (byte) (pad[i] ^ secret[i]);
        }
        return ENCODER.encodeToString(token);
    }

    static boolean csrfMatches(String sessionId, String token) {
        if (sessionId == null || token == null || token.length() > 2 * MAX_ID_LENGTH) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        if (decoded.length != 2 * SECRET_BYTES) {
            return false;
        }
        byte[] unmasked = new byte[SECRET_BYTES];
        for (int i = 0; i < SECRET_BYTES; i++) {
            unmasked[i] = (byte) (decoded[i] ^ decoded[SECRET_BYTES + i]);
        }
        return MessageDigest.isEqual(unmasked, csrfSecret(sessionId));
    }

    private static byte[] csrfSecret(String sessionId) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("jobyard-csrf\0" + sessionId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
