package io.jobyard.domain.pipeline.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value tests GitLab's configuration validators make, with Ruby's meaning: a "string" is a String, an "integer"
 * any whole-number type, "blank" is Rails' {@code blank?} (null, false, whitespace, empty list or hash). The parsed
 * YAML arrives as Map, List, String, Integer/Long/Double, Boolean and null.
 */
final class ConfigValues {
    /** GitLab's {@code Entry::Commands::MAX_NESTING_LEVEL}: how deep script arrays may nest. */
    static final int MAX_SCRIPT_NESTING = 10;

    private ConfigValues() {
    }

    static boolean isString(Object value) {
        return value instanceof String;
    }

    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }

    /** GitLab's {@code AlphanumericValidator}: a string or an integer. */
    static boolean isAlphanumeric(Object value) {
        return isString(value) || isInteger(value);
    }

    static boolean isBoolean(Object value) {
        return value instanceof Boolean;
    }

    static boolean isHash(Object value) {
        return value instanceof Map;
    }

    static boolean isArray(Object value) {
        return value instanceof List;
    }

    /** Rails' {@code blank?}. */
    static boolean isBlank(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return true;
        }
        if (value instanceof String text) {
            return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty();
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty();
        }
        return false;
    }

    static boolean isArrayOfStrings(Object value) {
        return value instanceof List<?> list && list.stream().allMatch(ConfigValues::isString);
    }

    static boolean isArrayOfStringsOrString(Object value) {
        return isString(value) || isArrayOfStrings(value);
    }

    static boolean isArrayOfIntegersOrInteger(Object value) {
        return isInteger(value) || value instanceof List<?> list && list.stream().allMatch(ConfigValues::isInteger);
    }

    /** GitLab's {@code StringOrNestedArrayOfStringsValidator} with {@code NestedArrayHelpers}. */
    static boolean isStringOrNestedArrayOfStrings(Object value, int maxLevel) {
        return isString(value) || value instanceof List && isNestedStrings(value, maxLevel);
    }

    private static boolean isNestedStrings(Object value, int nestingLevel) {
        if (isString(value)) {
            return true;
        }
        if (nestingLevel <= 0 || !(value instanceof List<?> list)) {
            return false;
        }
        return list.stream().allMatch(element -> isNestedStrings(element, nestingLevel - 1));
    }

    /** Ruby's {@code Array(value).flatten} for a value that passed {@link #isStringOrNestedArrayOfStrings}. */
    static List<String> flattenStrings(Object value) {
        List<String> out = new ArrayList<>();
        flattenInto(value, out);
        return out;
    }

    private static void flattenInto(Object value, List<String> out) {
        if (value instanceof List<?> list) {
            list.forEach(element -> flattenInto(element, out));
        } else if (value != null) {
            out.add(toS(value));
        }
    }

    /** Ruby's {@code Array(value)} of strings: a string alone becomes a one-element list. */
    static List<String> stringOrStrings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigValues::toS).toList();
        }
        return List.of(toS(value));
    }

    /** Ruby's {@code to_s}. */
    static String toS(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> hash(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object value) {
        return (List<Object>) value;
    }

    /** A deep, mutable copy with every hash key a string (GitLab symbolizes keys; Jobyard keeps their text). */
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, element) -> out.put(String.valueOf(key), copy(element)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(element -> out.add(copy(element)));
            return out;
        }
        return value;
    }
}
