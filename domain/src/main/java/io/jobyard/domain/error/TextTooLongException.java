package io.jobyard.domain.error;

import java.util.Locale;
import java.util.Objects;

/**
 * A text longer than Jobyard stores ({@link io.jobyard.domain.text.TextLimit}). GitLab's models refuse these with
 * Rails' length validation, whose message the HTTP layer renders in each endpoint's shape: {@code {"message": {"name":
 * ["is too long (maximum is 255 characters)"]}}} from {@code render_validation_error!}, or the full message
 * ("Name is too long (maximum is 255 characters)") where GitLab answers with a service's error text.
 */
public final class TextTooLongException extends JobyardException {
    private final String attribute;
    private final int maximum;

    public TextTooLongException(String attribute, int maximum) {
        super(Objects.requireNonNull(attribute, "attribute") + " is too long (maximum is " + maximum
                + " characters)");
        this.attribute = attribute;
        this.maximum = maximum;
    }

    /** The value's name as the request gave it ({@code name}, {@code variables[0][key]}). */
    public String attribute() {
        return attribute;
    }

    public int maximum() {
        return maximum;
    }

    /** Rails' message for the attribute: "is too long (maximum is 255 characters)". */
    public String problem() {
        return "is too long (maximum is " + maximum + " characters)";
    }

    /** Rails' full message: the humanized attribute, then {@link #problem()}. */
    public String fullMessage() {
        String human = attribute.replace('_', ' ').strip();
        if (human.isEmpty()) {
            return problem();
        }
        return human.substring(0, 1).toUpperCase(Locale.ROOT) + human.substring(1) + " " + problem();
    }
}
