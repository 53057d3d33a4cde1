package io.jobyard.domain.error;

/**
 * A request that is well-formed but cannot be carried out as asked — GitLab's model validation refuses it, or a hook's
 * URL or test is refused — answered 422 with the full message as it is
 * ({@code render_api_error!(message, :unprocessable_entity)}): "Expires at must be before 2027-03-02", "Invalid url
 * given".
 */
public final class UnprocessableException extends JobyardException {
    public UnprocessableException(String message) {
        super(message);
    }
}
