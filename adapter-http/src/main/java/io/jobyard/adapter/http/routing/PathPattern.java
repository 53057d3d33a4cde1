package io.jobyard.adapter.http.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route template matched against the raw (still encoded) path, Grape style:
 * <ul>
 *   <li>{@code :name} — one segment (GitLab's {@code :id} requirement: no literal slash);</li>
 *   <li>{@code :name+} — one or more segments, greedy (GitLab's {@code ref_name} requirement {@code /.+/}, so in
 *       {@code .../:ref_name+/raw/*artifact_path} the ref takes everything up to the LAST {@code /raw/});</li>
 *   <li>{@code *name} — the rest of the path, slashes included (Grape's glob).</li>
 * </ul>
 * Captured values are raw; callers decode them after matching, so an encoded slash never moves a boundary.
 */
public final class PathPattern {
    private final String template;
    private final Pattern regex;
    private final List<String> names;

    private PathPattern(String template, Pattern regex, List<String> names) {
        this.template = template;
        this.regex = regex;
        this.names = List.copyOf(names);
    }

    public static PathPattern compile(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route template starts with '/': " + template);
        }
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (String segment : template.substring(1).split("/", -1)) {
            regex.append('/');
            if (segment.startsWith(":") && segment.endsWith("+")) {
                names.add(segment.substring(1, segment.length() - 1));
                regex.append("(.+)");
            } else if (segment.startsWith(":")) {
                names.add(segment.substring(1));
                regex.append("([^/]+)");
            } else if (segment.startsWith("*")) {
                names.add(segment.substring(1));
                regex.append("(.+)");
            } else {
                regex.append(Pattern.quote(segment));
            }
        }
        return new PathPattern(template, Pattern.compile(regex.toString()), names);
    }

    /** The raw values of the template's parameters, in template order, when {@code rawPath} matches. */
    public Optional<Map<String, String>> match(String rawPath) {
        Matcher matcher = regex.matcher(rawPath);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), matcher.group(i + 1));
        }
        return Optional.of(values);
    }

    public String template() {
        return template;
    }

    @Override
    public String toString() {
        return template;
    }
}
