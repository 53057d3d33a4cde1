package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.user.UserId;

import java.math.BigInteger;

/** Readers the admin routes share, failing with Grape's {@code requires}/{@code values:} messages. */
final class AdminParams {
    private static final BigInteger LARGEST_ID = BigInteger.valueOf(Long.MAX_VALUE);

    private AdminParams() {
    }

    /** A required text parameter; empty text counts as missing, as Grape's {@code allow_blank: false} has it. */
    static String requiredText(Params params, String name) {
        return params.text(name).filter(text -> !text.isBlank()).orElseThrow(() -> Params.missing(name));
    }

    /** A required {@code Integer} parameter. */
    static BigInteger requiredInteger(Params params, String name) {
        return params.integer(name).orElseThrow(() -> Params.missing(name));
    }

    /** GitLab's message for a value outside a parameter's {@code values:} list. */
    static InvalidParameterException notAValidValue(String name) {
        return new InvalidParameterException(name + " does not have a valid value");
    }

    /** A user id from an {@code Integer} parameter: not a number is invalid, a number naming nobody is 404. */
    static UserId userId(BigInteger value) {
        if (value.signum() <= 0 || value.compareTo(LARGEST_ID) > 0) {
            throw NotFoundException.resource("User");
        }
        return UserId.of(value.longValueExact());
    }

    /** A user id given in the path ({@code :user_id}), read as Grape coerces an {@code Integer} there. */
    static UserId pathUserId(String text, String name) {
        return userId(Params.parseInteger(text).orElseThrow(() -> Params.invalid(name)));
    }

    /**
     * A user id in a path whose route requires digits ({@code /users/:id}): anything else matches no route in GitLab,
     * so it is the catch-all's 404.
     */
    static UserId routeUserId(String text) {
        if (!text.matches("[0-9]+")) {
            throw ApiError.error(404, "404 Not Found");
        }
        return userId(new BigInteger(text));
    }

    /** An optional Boolean filter; Grape's default is false. */
    static boolean flag(Params params, String name) {
        return params.bool(name).orElse(false);
    }

    /** An optional text filter; empty text is no filter. */
    static String optionalText(Params params, String name) {
        return params.text(name).filter(text -> !text.isEmpty()).orElse(null);
    }
}
