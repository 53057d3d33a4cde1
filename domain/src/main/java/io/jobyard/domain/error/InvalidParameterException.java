package io.jobyard.domain.error;

/**
 * A parameter is missing or malformed. GitLab answers these from its parameter validation layer with
 * {@code {"error": "<text>"}} rather than {@code {"message": ...}}, e.g. "job_id is invalid".
 */
public final class InvalidParameterException extends JobyardException {
    public InvalidParameterException(String error) {
        super(error);
    }

    /** The exact text GitLab puts in the {@code error} key. */
    public String error() {
        return getMessage();
    }
}
