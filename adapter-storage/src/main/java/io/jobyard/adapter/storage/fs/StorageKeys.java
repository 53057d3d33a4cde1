package io.jobyard.adapter.storage.fs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The one rule for blob keys, shared by every store so that a key valid on the filesystem is valid on S3 and back:
 * a relative path of {@code /}-separated segments such as {@code projects/12/jobs/345/artifacts/1/artifacts.zip}.
 * Empty, {@code .} and {@code ..} segments, absolute paths, backslashes and control characters are refused, so a key
 * can never name anything outside the store's root (on the filesystem) or alias another key (on S3).
 */
public final class StorageKeys {
    private StorageKeys() {
    }

    /** Returns {@code key} when it is valid. @throws IllegalArgumentException otherwise */
    public static String requireValid(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > 1024) {
            throw new IllegalArgumentException("a storage key must have 1 to 1024 characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new IllegalArgumentException("storage key contains a forbidden character: " + key);
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("storage key must be a relative path without empty, '.' or '..'"
                        + " segments: " + key);
            }
        }
        return key;
    }

    /**
     * Whether {@code key} follows the rule. A listing skips what does not: no key this store wrote can break it, so
     * such an object belongs to someone else, and every other operation would refuse its key anyway.
     */
    public static boolean isValid(String key) {
        try {
            requireValid(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The file for {@code key} under {@code root}. Checked twice: by the segment rule above and by the resolved path
     * still lying under the root, so that a platform-specific path syntax cannot slip through either.
     */
    public static Path resolve(Path root, String key) {
        requireValid(key);
        Path normalizedRoot = root.toAbsolutePath().normalize();
        Path resolved = normalizedRoot.resolve(key).normalize();
        if (!resolved.startsWith(normalizedRoot) || resolved.equals(normalizedRoot)) {
            throw new IllegalArgumentException("storage key escapes the store root: " + key);
        }
        return resolved;
    }
}
