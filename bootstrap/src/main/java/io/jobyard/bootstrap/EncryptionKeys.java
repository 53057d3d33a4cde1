package io.jobyard.bootstrap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The key that seals pipeline and job variables: given (base64), or read from a key file, which the first start
 * generates with owner-only permissions. The key file must be backed up with the database: without it the variables
 * stored under it cannot be read. Several instances sharing one database need the same key (the setting, or the same
 * file on every instance).
 */
public final class EncryptionKeys {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptionKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private EncryptionKeys() {
    }

    /**
     * A key written as base64 (as {@code openssl rand -base64 32} prints it).
     *
     * @throws IllegalArgumentException when it is not base64 of {@value AesGcmSecretCipher#KEY_BYTES} bytes
     */
    public static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("must be " + AesGcmSecretCipher.KEY_BYTES
                    + " bytes in base64 (e.g. from `openssl rand -base64 32`)");
        }
        if (key.length != AesGcmSecretCipher.KEY_BYTES) {
            throw new IllegalArgumentException("must be " + AesGcmSecretCipher.KEY_BYTES
                    + " bytes in base64 (e.g. from `openssl rand -base64 32`), was " + key.length + " bytes");
        }
        return key;
    }

    /**
     * The key in {@code file}; a missing file is created first with a new random key, readable and writable by this
     * user only. A file readable by others is used, with a warning.
     *
     * @throws IllegalStateException naming the file when it holds no valid key or cannot be written
     */
    public static byte[] loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            create(file);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("the encryption key file " + file + " cannot be read (" + e.getMessage()
                    + ")", e);
        }
        warnIfOthersCanRead(file);
        try {
            return decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the encryption key file " + file + " " + e.getMessage(), e);
        }
    }

    private static void create(Path file) {
        byte[] key = new byte[AesGcmSecretCipher.KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            // Written under another name, then linked to its own: a key file is whole or absent, never half written,
            // and of two starts generating at once the first one's key stays (a link never replaces a file).
            Path partial = Files.createTempFile(directory, ".encryption-key", ".partial", ownerOnly(directory));
            try {
                Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                try {
                    Files.createLink(file, partial);
                } catch (UnsupportedOperationException noLinks) {
                    Files.move(partial, file);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            LOG.info("Generated the encryption key of pipeline and job variables in {}: back it up with the"
                    + " database, which cannot be read without it", file);
        } catch (FileAlreadyExistsException anotherStartWroteIt) {
            // read below
        } catch (IOException e) {
            throw new UncheckedIOException("the encryption key file " + file + " cannot be created", e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) throws IOException {
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        return posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The encryption key file {} can be read by other users ({}); chmod 600 it", file,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException | IOException notPosix) {
            // no POSIX permissions to look at
        }
    }
}
