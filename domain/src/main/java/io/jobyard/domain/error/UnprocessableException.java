package io.jobyard.domain.error;

/**
 * A request that is well-formed but that GitLab's model validation refuses, answered 422 with the validation's full
 * message as it is ({@code render_api_error!(message, :unprocessable_entity)}): "Expires at must be before
 * 2027-03-02".
 */
public final class UnprocessableException extends JobyardException {
    public UnprocessableException(String message) {
        super(message);
    }
}
