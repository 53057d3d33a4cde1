package io.jobyard.adapter.http.params;

import io.jobyard.domain.error.InvalidParameterException;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of one request as a Grape endpoint sees them: the query string, overridden by the body (JSON or
 * form). Typed readers coerce like Grape and fail with its messages ({@code {"error":"page is invalid"}}).
 */
public final class Params {
    private static final Pattern RUBY_INTEGER = Pattern.compile("\\s*[+-]?\\d+(?:_\\d+)*\\s*");
    private static final Set<String> TRUE = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "off", "f", "false", "n", "no");

    private final Map<String, ParamValue> values;
    private final List<FormEncoding.Pair> queryPairs;

    private Params(Map<String, ParamValue> values, List<FormEncoding.Pair> queryPairs) {
        this.values = values;
        this.queryPairs = List.copyOf(queryPairs);
    }

    /** @throws io.jobyard.adapter.http.reply.ApiError 400 when a value is malformed ({@link WellFormedText}) */
    public static Params of(List<FormEncoding.Pair> query, Map<String, ParamValue> body) {
        Map<String, ParamValue> merged = new LinkedHashMap<>(NestedParams.fromPairs(query));
        WellFormedText.requireAll(merged);
        WellFormedText.requireAll(body);
        merged.putAll(body);
        return new Params(merged, query);
    }

    public static Params empty() {
        return of(List.of(), Map.of());
    }

    /** The query string's pairs as sent, for rebuilding pagination links. */
    public List<FormEncoding.Pair> queryPairs() {
        return queryPairs;
    }

    public Optional<ParamValue> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A text parameter; JSON null reads as absent, a list or hash where text is expected is invalid. */
    public Optional<String> text(String name) {
        ParamValue value = values.get(name);
        if (value == null || value instanceof ParamValue.Blank) {
            return Optional.empty();
        }
        if (value instanceof ParamValue.Text text) {
            return Optional.of(text.value());
        }
        if (value instanceof ParamValue.Repeated repeated) {
            return Optional.of(repeated.values().get(repeated.values().size() - 1));
        }
        throw invalid(name);
    }

    /** An Integer parameter as Ruby's {@code Integer(text, 10)} reads it; empty text counts as absent. */
    public Optional<BigInteger> integer(String name) {
        Optional<String> text = text(name).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseInteger(text.get()).orElseThrow(() -> invalid(name)));
    }

    /** A Boolean parameter: Grape's true/false spellings, case-insensitively; empty text counts as absent. */
    public Optional<Boolean> bool(String name) {
        Optional<String> text = text(name).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get().trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(value)) {
            return Optional.of(true);
        }
        if (FALSE.contains(value)) {
            return Optional.of(false);
        }
        throw invalid(name);
    }

    public static Optional<BigInteger> parseInteger(String text) {
        if (!RUBY_INTEGER.matcher(text).matches()) {
            return Optional.empty();
        }
        String digits = text.trim().replace("_", "");
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        return Optional.of(new BigInteger(digits));
    }

    public static InvalidParameterException invalid(String name) {
        return new InvalidParameterException(name + " is invalid");
    }

    public static InvalidParameterException missing(String name) {
        return new InvalidParameterException(name + " is missing");
    }
}
