package io.jobyard.adapter.jdbc;

import io.jobyard.domain.job.JobExecution.ArtifactsSpec;
import io.jobyard.domain.job.JobVariable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Domain lists and small structures to and from their {@link TextEncoding} column text. */
final class ColumnCodecs {

    private ColumnCodecs() {
    }

    static String strings(Collection<String> values) {
        return TextEncoding.encode(List.copyOf(values));
    }

    /** Null text (a nullable column) decodes to null. */
    static List<String> strings(String text) {
        if (text == null) {
            return null;
        }
        return asList(TextEncoding.decode(text)).stream().map(ColumnCodecs::asString).toList();
    }

    static String variables(List<JobVariable> variables) {
        List<Object> encoded = new ArrayList<>(variables.size());
        for (JobVariable variable : variables) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("key", variable.key());
            fields.put("value", variable.value());
            fields.put("masked", variable.masked());
            fields.put("file", variable.file());
            encoded.add(fields);
        }
        return TextEncoding.encode(encoded);
    }

    static List<JobVariable> variables(String text) {
        return asList(TextEncoding.decode(text)).stream().map(item -> {
            Map<String, Object> fields = asMap(item);
            return new JobVariable(asString(fields.get("key")), asString(fields.get("value")),
                    asBoolean(fields.get("masked")), asBoolean(fields.get("file")));
        }).toList();
    }

    /** Null (no {@code artifacts:} block) stays null. */
    static String artifactsSpec(ArtifactsSpec spec) {
        if (spec == null) {
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", spec.name());
        fields.put("paths", spec.paths());
        fields.put("exclude", spec.exclude());
        fields.put("untracked", spec.untracked());
        fields.put("when", spec.when());
        fields.put("expire_in", spec.expireIn());
        fields.put("access", spec.access());
        // Sorted so equal blocks encode to equal text.
        fields.put("reports", new TreeMap<>(spec.reports()));
        return TextEncoding.encode(fields);
    }

    static ArtifactsSpec artifactsSpec(String text) {
        if (text == null) {
            return null;
        }
        Map<String, Object> fields = asMap(TextEncoding.decode(text));
        Map<String, List<String>> reports = new LinkedHashMap<>();
        asMap(fields.get("reports")).forEach((type, paths) ->
                reports.put(type, asList(paths).stream().map(ColumnCodecs::asString).toList()));
        return new ArtifactsSpec(
                asString(fields.get("name")),
                asList(fields.get("paths")).stream().map(ColumnCodecs::asString).toList(),
                asList(fields.get("exclude")).stream().map(ColumnCodecs::asString).toList(),
                asBoolean(fields.get("untracked")),
                asString(fields.get("when")),
                asString(fields.get("expire_in")),
                asString(fields.get("access")),
                reports);
    }

    private static List<?> asList(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("expected a list in column text, found " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("expected an object in column text, found " + value);
    }

    private static String asString(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException("expected a string in column text, found " + value);
    }

    private static boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("expected a boolean in column text, found " + value);
    }
}
