package io.jobyard.bootstrap.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Warnings only while a run lasts: thousands of access-log lines would drown the build's output. */
final class QuietLogs implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level before = root.getLevel();

    QuietLogs() {
        root.setLevel(Level.WARN);
    }

    @Override
    public void close() {
        root.setLevel(before);
    }
}
