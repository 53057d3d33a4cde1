package io.jobyard.adapter.crypto;

import io.jobyard.application.port.out.PasswordHasher;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passwords hashed with Argon2id (RFC 9106), Bouncy Castle's implementation, encoded as a PHC string — the same text
 * the reference implementation's {@code argon2 -e} prints, so hashes move to and from other systems:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, salt and hash in Base64 without padding.
 *
 * <p>Why Argon2id with these parameters: it is OWASP's first recommendation for password storage, memory-hard (a GPU or
 * ASIC farm pays for memory, not just arithmetic), with no length limit (bcrypt silently ignores bytes past 72). The
 * defaults are OWASP's minimum configuration — 19 MiB of memory, 2 passes, 1 lane — about 30-60 ms on a server core;
 * a hash made with other parameters still verifies with its own, and {@link #needsRehash} says to replace it.
 *
 * <p>Why Bouncy Castle rather than a native binding: pure Java (nothing to load per platform), widely deployed, kept up
 * with regular security releases; Spring Security's {@code Argon2PasswordEncoder} runs on this very generator.
 */
public final class Argon2idPasswordHasher implements PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Parameters parameters;

    /**
     * @param memoryKib  memory per hash in KiB
     * @param iterations passes over the memory
     * @param lanes      parallelism
     */
    public record Parameters(int memoryKib, int iterations, int lanes, int saltBytes, int hashBytes) {
        /** OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1; 16-byte salt, 32-byte hash. */
        public static final Parameters OWASP = new Parameters(19_456, 2, 1, 16, 32);

        public Parameters {
            if (lanes < 1 || lanes > 255 || iterations < 1 || iterations > 100 || memoryKib < 8 * lanes
                    || memoryKib > 4 * 1024 * 1024 || saltBytes < 8 || saltBytes > 64 || hashBytes < 16
                    || hashBytes > 64) {
                throw new IllegalArgumentException("unusable Argon2id parameters " + memoryKib + "/" + iterations
                        + "/" + lanes);
            }
        }
    }

    public Argon2idPasswordHasher() {
        this(Parameters.OWASP);
    }

    public Argon2idPasswordHasher(Parameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    @Override
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[parameters.saltBytes()];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, parameters.memoryKib(), parameters.iterations(), parameters.lanes(),
                parameters.hashBytes());
        return "$argon2id$v=19$m=" + parameters.memoryKib() + ",t=" + parameters.iterations() + ",p="
                + parameters.lanes() + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    @Override
    public boolean verify(String password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        Matcher phc = PHC.matcher(encoded);
        if (!phc.matches()) {
            return false;
        }
        int memory = Integer.parseInt(phc.group(1));
        int iterations = Integer.parseInt(phc.group(2));
        int lanes = Integer.parseInt(phc.group(3));
        // A stored hash sets the cost of its own check: bounded, so a planted hash cannot make a check take forever.
        if (lanes < 1 || memory < 8 * lanes || memory > 4 * 1024 * 1024 || iterations < 1) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = DECODER.decode(phc.group(4));
            expected = DECODER.decode(phc.group(5));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        byte[] actual = derive(password, salt, memory, iterations, lanes, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    @Override
    public boolean needsRehash(String encoded) {
        Matcher phc = PHC.matcher(encoded == null ? "" : encoded);
        if (!phc.matches()) {
            return true;
        }
        return Integer.parseInt(phc.group(1)) != parameters.memoryKib()
                || Integer.parseInt(phc.group(2)) != parameters.iterations()
                || Integer.parseInt(phc.group(3)) != parameters.lanes()
                || DECODER.decode(phc.group(5)).length != parameters.hashBytes();
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes,
                                 int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build());
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }
}
