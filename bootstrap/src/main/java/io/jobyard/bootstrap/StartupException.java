package io.jobyard.bootstrap;

/** The server could not start (database unreachable, port taken, storage not writable); one line says why. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
