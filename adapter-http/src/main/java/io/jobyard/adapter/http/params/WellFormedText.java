package io.jobyard.adapter.http.params;

import io.jobyard.adapter.http.reply.ApiError;

import java.util.List;
import java.util.Map;

/**
 * GitLab's {@code Gitlab::Middleware::HandleMalformedStrings}: no request has a valid reason to carry a null byte or a
 * string that is not valid Unicode, so one that does is refused with 400 before anything reads it. Besides, neither
 * can be stored: PostgreSQL refuses a NUL in text, and an unpaired UTF-16 surrogate (which a JSON body can spell as
 * {@code "\ud800"}) has no UTF-8 form to store or to answer with. GitLab's middleware answers a plain-text
 * {@code Bad Request}; Jobyard keeps its JSON error bodies: {@code {"message":"400 Bad request"}}.
 */
public final class WellFormedText {
    private WellFormedText() {
    }

    /** Whether {@code text} has no NUL and no unpaired surrogate. */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /** @throws ApiError 400 when {@code value} (the parameter {@code name}) is malformed */
    public static String require(String name, String value) {
        if (value != null && !isWellFormed(value)) {
            throw malformed();
        }
        return value;
    }

    /** Every text value of the parameters, at any depth. */
    static void requireAll(Map<String, ParamValue> values) {
        values.forEach(WellFormedText::require);
    }

    private static void require(String name, ParamValue value) {
        if (value instanceof ParamValue.Text text) {
            require(name, text.value());
        } else if (value instanceof ParamValue.Repeated repeated) {
            repeated.values().forEach(v -> require(name, v));
        } else if (value instanceof ParamValue.Items items) {
            List<ParamValue> list = items.items();
            for (int i = 0; i < list.size(); i++) {
                require(name + "[" + i + "]", list.get(i));
            }
        } else if (value instanceof ParamValue.Fields fields) {
            fields.fields().forEach((key, field) -> require(name + "[" + key + "]", field));
        }
    }

    /** GitLab's middleware names nothing either: the answer is GitLab's bare bad request. */
    private static ApiError malformed() {
        return ApiError.message(400, "400 Bad request");
    }
}
