package io.jobyard.adapter.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * fsync for directories. A rename or a new file is only durable once the directory holding its entry is flushed;
 * flushing the file alone is not enough on Linux filesystems.
 */
final class Durability {
    private static final boolean RUNNING_ON_WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private Durability() {
    }

    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory for reading; there the rename is as durable as it gets.
            if (RUNNING_ON_WINDOWS && Files.isDirectory(directory)) {
                return;
            }
            throw e;
        }
    }

    /**
     * Creates {@code directory} and any missing parents up to (excluding) {@code root}, then flushes the parent of
     * every directory it created so that the whole chain survives a crash.
     */
    static void createDirectoriesDurably(Path root, Path directory) throws IOException {
        Path missing = null;
        for (Path p = directory; p != null && p.startsWith(root) && !Files.isDirectory(p); p = p.getParent()) {
            missing = p;
        }
        Files.createDirectories(directory);
        if (missing != null) {
            for (Path p = directory; !p.equals(missing.getParent()); p = p.getParent()) {
                forceDirectory(p.getParent());
            }
        }
    }
}
