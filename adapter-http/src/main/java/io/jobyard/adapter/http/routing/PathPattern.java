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
 * <p>Matching runs on every request against every route, so it is cheap: a template of literals and one-segment
 * parameters only (most of them) is matched segment by segment without a regular expression; the others first check
 * their literal beginning and that their later literal segments occur in order, and only then run theirs.
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
    /** Whether every segment is a literal or a one-segment parameter: matched without the regular expression. */
    private final boolean fixed;
    /** The template up to its first parameter: every path it matches starts with this. */
    private final String literalPrefix;
    /**
     * The literal segments after the first parameter, each with its leading slash: every path the template matches
     * holds them in this order after the prefix (for templates that need the regular expression).
     */
    private final List<String> laterLiterals;

    private PathPattern(String template, Pattern regex, List<String> names, List<Segment> segments) {
        this.template = template;
        this.regex = regex;
        this.names = List.copyOf(names);
        this.segments = List.copyOf(segments);
        this.fixed = segments.stream().allMatch(s -> s.kind() == Kind.LITERAL || s.kind() == Kind.PARAM);
        StringBuilder prefix = new StringBuilder();
        for (Segment segment : segments) {
            prefix.append('/');
            if (segment.kind() != Kind.LITERAL) {
                break;
            }
            prefix.append(segment.text());
        }
        this.literalPrefix = prefix.toString();
        List<String> later = new ArrayList<>();
        boolean afterParameter = false;
        for (Segment segment : segments) {
            if (segment.kind() != Kind.LITERAL) {
                afterParameter = true;
            } else if (afterParameter) {
                later.add("/" + segment.text());
            }
        }
        this.laterLiterals = List.copyOf(later);
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
        if (!rawPath.startsWith(literalPrefix)) {
            return Optional.empty();
        }
        if (fixed) {
            return matchFixed(rawPath);
        }
        int from = literalPrefix.length();
        for (String literal : laterLiterals) {
            from = rawPath.indexOf(literal, from);
            if (from < 0) {
                return Optional.empty();
            }
            from += literal.length();
        }
        return matchByRegex(rawPath);
    }

    /** {@link #match} for a template of literals and one-segment parameters, as its regular expression would. */
    private Optional<Map<String, String>> matchFixed(String rawPath) {
        int count = segments.size();
        int[] starts = new int[count + 1];
        int found = 0;
        for (int at = rawPath.indexOf('/'); at >= 0; at = rawPath.indexOf('/', at + 1)) {
            if (found == count) {
                return Optional.empty(); // more segments than the template has
            }
            starts[found++] = at + 1;
        }
        if (found != count) {
            return Optional.empty(); // (the path starts with '/': match checked the literal prefix)
        }
        starts[count] = rawPath.length() + 1;
        for (int i = 0; i < count; i++) {
            Segment segment = segments.get(i);
            int length = starts[i + 1] - 1 - starts[i];
            boolean matches = segment.kind() == Kind.LITERAL
                    ? length == segment.text().length() && rawPath.startsWith(segment.text(), starts[i])
                    : length > 0;
            if (!matches) {
                return Optional.empty();
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        int name = 0;
        for (int i = 0; i < count; i++) {
            if (segments.get(i).kind() == Kind.PARAM) {
                values.put(names.get(name++), rawPath.substring(starts[i], starts[i + 1] - 1));
            }
        }
        return Optional.of(values);
    }

    /** The regular expression's answer alone (tests hold the fast paths to it). */
    Optional<Map<String, String>> matchByRegex(String rawPath) {
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
