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
 *   <li>{@code :name~} — a project's full path in the web pages' URLs ({@code acme/tools/app}): one or more segments,
 *       none of them {@code -}, so {@code /acme/tools/app/-/jobs/7} splits at GitLab's {@code /-/} separator and
 *       nowhere else (GitLab's path rules let no group or project be called {@code -});</li>
 *   <li>{@code *name} — the rest of the path, slashes included (Grape's glob).</li>
 * </ul>
 * Captured values are raw; callers decode them after matching, so an encoded slash never moves a boundary.
 *
 * <p>When two templates match one path the more specific one wins ({@link #compareSpecificity}): segment by segment,
 * a literal beats a parameter, a parameter beats a multi-segment one, and that beats a glob. GitLab gets the same
 * outcome from its mount order (job_artifacts.rb before jobs.rb, the "self" token routes before {@code :id}).
 */
public final class PathPattern {
    /** What a template segment is, from most to least specific. */
    private enum Kind { LITERAL, PARAM, FULL_PATH, MULTI, GLOB }

    private record Segment(Kind kind, String text) {
    }

    private final String template;
    private final Pattern regex;
    private final List<String> names;
    private final List<Segment> segments;

    private PathPattern(String template, Pattern regex, List<String> names, List<Segment> segments) {
        this.template = template;
        this.regex = regex;
        this.names = List.copyOf(names);
        this.segments = List.copyOf(segments);
    }

    public static PathPattern compile(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route template starts with '/': " + template);
        }
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        for (String segment : template.substring(1).split("/", -1)) {
            regex.append('/');
            if (segment.startsWith(":") && segment.endsWith("~")) {
                names.add(segment.substring(1, segment.length() - 1));
                segments.add(new Segment(Kind.FULL_PATH, ""));
                regex.append("((?!-(?:/|$))[^/]+(?:/(?!-(?:/|$))[^/]+)*)");
            } else if (segment.startsWith(":") && segment.endsWith("+")) {
                names.add(segment.substring(1, segment.length() - 1));
                segments.add(new Segment(Kind.MULTI, ""));
                regex.append("(.+)");
            } else if (segment.startsWith(":")) {
                names.add(segment.substring(1));
                segments.add(new Segment(Kind.PARAM, ""));
                regex.append("([^/]+)");
            } else if (segment.startsWith("*")) {
                names.add(segment.substring(1));
                segments.add(new Segment(Kind.GLOB, ""));
                regex.append("(.+)");
            } else {
                segments.add(new Segment(Kind.LITERAL, segment));
                regex.append(Pattern.quote(segment));
            }
        }
        return new PathPattern(template, Pattern.compile(regex.toString()), names, segments);
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

    /**
     * Positive when this template is more specific than {@code other}: at the first segment whose kind differs, the
     * more specific kind wins; a template that goes on where the other ends is the more specific. Zero for templates
     * of the same shape.
     */
    public int compareSpecificity(PathPattern other) {
        int common = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < common; i++) {
            int byKind = other.segments.get(i).kind().compareTo(segments.get(i).kind());
            if (byKind != 0) {
                return byKind;
            }
        }
        return Integer.compare(segments.size(), other.segments.size());
    }

    /** Whether both templates match exactly the same paths: the same literals and parameter kinds, names aside. */
    public boolean sameShape(PathPattern other) {
        return segments.equals(other.segments);
    }

    /** The parameter names in template order. */
    public List<String> names() {
        return names;
    }

    public String template() {
        return template;
    }

    @Override
    public String toString() {
        return template;
    }
}
