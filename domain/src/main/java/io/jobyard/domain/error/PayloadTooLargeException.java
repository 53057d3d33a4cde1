package io.jobyard.domain.error;

/** An upload exceeds a configured limit (archive size, entry count, uncompressed size). */
public final class PayloadTooLargeException extends JobyardException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
