package io.jobyard.domain.pipeline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitLab's {@code Gitlab::Ci::Config::Extendable}: every top-level hash with {@code extends:} becomes the deep merge
 * of its bases (in the order listed, each extended first) and then of itself. Hashes merge key by key, recursively;
 * any other value — lists included — is replaced. The first problem stops everything, with GitLab's message from
 * {@code lib/gitlab/ci/config/extendable/entry.rb}.
 */
final class ExtendsResolver {
    /** {@code Extendable::Entry::MAX_NESTING_LEVELS}: an entry may have at most this many extending ancestors. */
    static final int MAX_NESTING_LEVELS = 10;

    private final Map<String, Object> context;

    private ExtendsResolver(Map<String, Object> context) {
        this.context = context;
    }

    /**
     * Resolves {@code extends:} in place in {@code root} (which must be mutable).
     *
     * @throws CiConfigException with the one message GitLab gives
     */
    static void resolve(Map<String, Object> root) {
        ExtendsResolver resolver = new ExtendsResolver(root);
        for (String key : new ArrayList<>(root.keySet())) {
            if (extensible(root.get(key))) {
                resolver.extend(key, List.of());
            }
        }
    }

    private Object extend(String key, List<String> ancestors) {
        Object value = context.get(key);
        if (!extensible(value)) {
            return value;
        }
        Map<String, Object> hash = ConfigValues.hash(value);
        List<String> bases = extendsKeys(hash.get("extends"));
        List<String> unknown = bases.stream().filter(base -> !context.containsKey(base)).toList();
        if (!unknown.isEmpty()) {
            throw error(key + ": unknown keys in `extends` (" + String.join(", ", unknown) + ")");
        }
        List<String> notHashes = bases.stream().filter(base -> !ConfigValues.isHash(context.get(base))).toList();
        if (!notHashes.isEmpty()) {
            throw error(key + ": invalid base hashes in `extends` (" + String.join(", ", notHashes) + ")");
        }
        if (ancestors.size() > MAX_NESTING_LEVELS) {
            throw error(key + ": nesting too deep in `extends`");
        }
        if (ancestors.contains(key)) {
            throw error(key + ": circular dependency detected in `extends`");
        }
        List<String> path = new ArrayList<>(ancestors);
        path.add(key);
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String base : bases) {
            deepMerge(merged, ConfigValues.hash(extend(base, path)));
        }
        deepMerge(merged, hash);
        context.put(key, merged);
        return merged;
    }

    /** ActiveSupport's {@code deep_merge!}: keys keep their first position, hashes merge, other values are replaced. */
    static void deepMerge(Map<String, Object> target, Map<String, Object> source) {
        source.forEach((key, value) -> {
            Object existing = target.get(key);
            if (existing instanceof Map && value instanceof Map) {
                Map<String, Object> nested = new LinkedHashMap<>(ConfigValues.hash(existing));
                deepMerge(nested, ConfigValues.hash(value));
                target.put(key, nested);
            } else {
                target.put(key, value);
            }
        });
    }

    private static boolean extensible(Object value) {
        return value instanceof Map<?, ?> map && map.containsKey("extends");
    }

    /** {@code Array(value.fetch(:extends)).map(&:to_s)}. */
    private static List<String> extendsKeys(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigValues::toS).toList();
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(String::valueOf).toList();
        }
        return List.of(ConfigValues.toS(value));
    }

    private static CiConfigException error(String message) {
        return new CiConfigException(List.of(message));
    }
}
