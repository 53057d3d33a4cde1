package io.jobyard.adapter.http.params;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.domain.error.InvalidParameterException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the parameter tree from decoded pairs with Rack's {@code normalize_params} rules ({@code a[]}, {@code a[b]},
 * {@code a[][b]}), and from a JSON body.
 */
public final class NestedParams {
    private static final Pattern HEAD = Pattern.compile("\\A[\\[\\]]*([^\\[\\]]+)\\]*");
    private static final Pattern ARRAY_OF_HASH = Pattern.compile("^\\[\\]\\[([^\\[\\]]+)\\]$");
    private static final Pattern ARRAY_OF_NESTED = Pattern.compile("^\\[\\](.+)$");
    private static final int MAX_DEPTH = 32;

    private NestedParams() {
    }

    public static Map<String, ParamValue> fromPairs(List<FormEncoding.Pair> pairs) {
        Map<String, ParamValue> root = new LinkedHashMap<>();
        for (FormEncoding.Pair pair : pairs) {
            normalize(root, pair.key(), pair.value(), 0, true);
        }
        return root;
    }

    /** A JSON object body; anything else (an array, a string) gives no parameters, as in Grape. */
    public static Map<String, ParamValue> fromJson(JsonNode body) {
        Map<String, ParamValue> root = new LinkedHashMap<>();
        if (body != null && body.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                root.put(field.getKey(), fromJsonValue(field.getValue()));
            }
        }
        return root;
    }

    private static ParamValue fromJsonValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new ParamValue.Blank();
        }
        if (node.isObject()) {
            return new ParamValue.Fields(fromJson(node));
        }
        if (node.isArray()) {
            List<ParamValue> items = new ArrayList<>();
            node.forEach(item -> items.add(fromJsonValue(item)));
            return new ParamValue.Items(items);
        }
        return new ParamValue.Text(node.asText());
    }

    private static Map<String, ParamValue> normalize(Map<String, ParamValue> params, String name, String value,
                                                     int depth, boolean top) {
        if (depth > MAX_DEPTH) {
            throw new InvalidParameterException("parameter nesting is too deep");
        }
        Matcher head = HEAD.matcher(name);
        if (!head.find()) {
            return params;
        }
        String key = head.group(1);
        String after = name.substring(head.end());
        if (after.isEmpty()) {
            ParamValue existing = params.get(key);
            if (top && existing instanceof ParamValue.Text text) {
                params.put(key, new ParamValue.Repeated(new ArrayList<>(List.of(text.value(), value))));
            } else if (top && existing instanceof ParamValue.Repeated repeated) {
                repeated.values().add(value);
            } else {
                params.put(key, new ParamValue.Text(value));
            }
        } else if (after.equals("[")) {
            params.put(name, new ParamValue.Text(value));
        } else if (after.equals("[]")) {
            items(params, key).add(new ParamValue.Text(value));
        } else {
            Matcher arrayOfHash = ARRAY_OF_HASH.matcher(after);
            Matcher arrayOfNested = ARRAY_OF_NESTED.matcher(after);
            String childKey = arrayOfHash.matches() ? arrayOfHash.group(1)
                    : arrayOfNested.matches() ? arrayOfNested.group(1) : null;
            if (childKey != null) {
                List<ParamValue> list = items(params, key);
                ParamValue last = list.isEmpty() ? null : list.get(list.size() - 1);
                if (last instanceof ParamValue.Fields fields && !hasKey(fields.fields(), childKey)) {
                    normalize(fields.fields(), childKey, value, depth + 1, false);
                } else {
                    Map<String, ParamValue> child = new LinkedHashMap<>();
                    normalize(child, childKey, value, depth + 1, false);
                    list.add(new ParamValue.Fields(child));
                }
            } else {
                ParamValue existing = params.get(key);
                Map<String, ParamValue> child;
                if (existing == null) {
                    child = new LinkedHashMap<>();
                    params.put(key, new ParamValue.Fields(child));
                } else if (existing instanceof ParamValue.Fields fields) {
                    child = fields.fields();
                } else {
                    throw typeError("Hash", existing, key);
                }
                normalize(child, after, value, depth + 1, false);
            }
        }
        return params;
    }

    private static List<ParamValue> items(Map<String, ParamValue> params, String key) {
        ParamValue existing = params.get(key);
        if (existing == null) {
            List<ParamValue> list = new ArrayList<>();
            params.put(key, new ParamValue.Items(list));
            return list;
        }
        if (existing instanceof ParamValue.Items items) {
            return items.items();
        }
        throw typeError("Array", existing, key);
    }

    /** Rack's {@code params_hash_has_key?}: whether {@code key} (maybe {@code a[b]}) is already set. */
    private static boolean hasKey(Map<String, ParamValue> fields, String key) {
        if (key.contains("[]")) {
            return false;
        }
        Map<String, ParamValue> current = fields;
        String[] parts = key.split("[\\[\\]]+");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            if (current == null || !current.containsKey(parts[i])) {
                return false;
            }
            ParamValue child = current.get(parts[i]);
            current = child instanceof ParamValue.Fields nested ? nested.fields() : null;
        }
        return true;
    }

    private static InvalidParameterException typeError(String expected, ParamValue got, String key) {
        return new InvalidParameterException("expected " + expected + " (got " + got.rackType() + ") for param `"
                + key + "'");
    }
}
