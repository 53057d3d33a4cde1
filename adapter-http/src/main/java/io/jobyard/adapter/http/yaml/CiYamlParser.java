package io.jobyard.adapter.http.yaml;

import io.jobyard.adapter.http.params.WellFormedText;
import io.jobyard.application.port.out.CiConfigParser;
import io.jobyard.domain.pipeline.config.CiConfigException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code .gitlab-ci.yml} text into plain Java values (maps, lists, strings, numbers, booleans) for the domain's
 * configuration compiler. Only safe YAML: no custom tags, bounded aliases (a "billion laughs" document is refused),
 * no null characters or unpaired surrogates. Errors name the line, as GitLab's lint does.
 *
 * <p>Size, as GitLab limits it ({@code Gitlab::Config::Loader::Yaml}, with the application settings
 * {@code max_yaml_size_bytes} and {@code max_yaml_depth}): text of more bytes than the limit is "The provided YAML is
 * too big" before it is parsed; a document whose parsed form is larger than the limit or nested deeper is "The parsed
 * YAML is too big". GitLab measures the parsed form by the memory of its Ruby objects ({@code Gitlab::Utils::DeepSize},
 * aliases counted at every use); Jobyard estimates the same way — 40 bytes per value plus the bytes of each string and
 * 8 per collection entry — in one pass over the parser's events, before any document tree is built, so an oversized or
 * alias-exploding document costs no more memory than its text.
 */
public final class CiYamlParser implements CiConfigParser {
    /** GitLab's default {@code max_yaml_size_bytes} (since 17.3). */
    public static final long DEFAULT_MAX_BYTES = 2L << 20;
    /** GitLab's default {@code max_yaml_depth}. */
    public static final int DEFAULT_MAX_DEPTH = 100;
    static final String PROVIDED_TOO_BIG = "The provided YAML is too big";
    static final String PARSED_TOO_BIG = "The parsed YAML is too big";
    /** Ruby's object header (an RVALUE): what every value costs before its content. */
    private static final int VALUE_BYTES = 40;
    /** A collection's reference to one of its entries. */
    private static final int ENTRY_BYTES = 8;
    private static final int MAX_ALIASES = 100;
    /** Far beyond any real configuration, far below what would exhaust memory once aliases are expanded. */
    private static final long MAX_EXPANDED_ELEMENTS = 200_000;

    private final long maxBytes;
    private final int maxDepth;

    /** GitLab's defaults: 2 MiB, 100 levels. */
    public CiYamlParser() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);
    }

    /**
     * @param maxBytes the largest text, in UTF-8 bytes, and the largest parsed document, as estimated
     * @param maxDepth the deepest nesting of collections (the top-level mapping is level 1)
     */
    public CiYamlParser(long maxBytes, int maxDepth) {
        if (maxBytes < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("YAML limits must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
    }

    @Override
    public Map<String, Object> parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("Please provide content of .gitlab-ci.yml");
        }
        if (utf8Length(text) > maxBytes) {
            throw invalid(PROVIDED_TOO_BIG);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        // The measuring pass refuses deeper documents with GitLab's message first; this is the composer's own guard.
        options.setNestingDepthLimit(maxDepth + 1);
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes + 1));
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Object document;
        try {
            measure(yaml.parse(new StringReader(text)));
            document = yaml.load(text);
        } catch (MarkedYAMLException e) {
            throw invalid(describe(e));
        } catch (YAMLException e) {
            throw invalid("Invalid configuration format: " + firstLine(e.getMessage()));
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw invalid("Invalid configuration format");
        }
        requireFinite(document);
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw invalid("Invalid configuration format: keys must be strings, found "
                        + entry.getKey());
            }
            root.put(key, entry.getValue());
        }
        return root;
    }

    /** An open collection while measuring: the bytes of what it holds so far and the depth below it. */
    private static final class Frame {
        final String anchor;
        long bytes = VALUE_BYTES;
        int height = 1;

        Frame(String anchor) {
            this.anchor = anchor;
        }
    }

    /** The size and nesting of an anchored value, for each alias that repeats it. */
    private record Anchored(long bytes, int height) {
    }

    /**
     * One pass over the parser's events, estimating the parsed document's size (aliases expanded) and depth, and
     * stopping at the first event past either limit: a billion-laughs document is refused after a few dozen events.
     */
    private void measure(Iterable<Event> events) {
        Deque<Frame> open = new ArrayDeque<>();
        Map<String, Anchored> anchors = new HashMap<>();
        long total = 0;
        for (Event event : events) {
            long added = 0;
            int height = 0;
            if (event instanceof ScalarEvent scalar) {
                added = VALUE_BYTES + utf8Length(scalar.getValue());
                if (scalar.getAnchor() != null) {
                    anchors.put(scalar.getAnchor(), new Anchored(added, 0));
                }
            } else if (event instanceof AliasEvent alias) {
                Anchored anchored = anchors.get(alias.getAnchor());
                if (anchored == null) {
                    boolean enclosing = open.stream().anyMatch(frame -> alias.getAnchor().equals(frame.anchor));
                    if (enclosing) {
                        throw invalid("Invalid configuration format: an alias refers to a collection that contains"
                                + " it");
                    }
                    continue; // an unknown alias: composing reports it, with its line
                }
                added = anchored.bytes();
                height = anchored.height();
            } else if (event instanceof CollectionStartEvent start) {
                open.push(new Frame(start.getAnchor()));
                if (open.size() > maxDepth) {
                    throw invalid(PARSED_TOO_BIG);
                }
                total += VALUE_BYTES;
                if (total > maxBytes) {
                    throw invalid(PARSED_TOO_BIG);
                }
                continue;
            } else if (event instanceof CollectionEndEvent && !open.isEmpty()) {
                Frame closed = open.pop();
                if (closed.anchor != null) {
                    anchors.put(closed.anchor, new Anchored(closed.bytes, closed.height));
                }
                if (!open.isEmpty()) {
                    open.peek().bytes += closed.bytes + ENTRY_BYTES;
                    open.peek().height = Math.max(open.peek().height, closed.height + 1);
                    total += ENTRY_BYTES;
                }
                continue;
            } else {
                continue;
            }
            if (!open.isEmpty()) {
                open.peek().bytes += added + ENTRY_BYTES;
                open.peek().height = Math.max(open.peek().height, height + 1);
                added += ENTRY_BYTES;
            }
            total += added;
            if (total > maxBytes || open.size() + height > maxDepth) {
                throw invalid(PARSED_TOO_BIG);
            }
        }
    }

    /** The UTF-8 length of {@code text}, counted without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Aliases make the document a graph: {@code a: &a [*a]} is a list that contains itself, and a few dozen aliases of
     * aliases expand to billions of elements. Everything after parsing walks the document as a tree, so both are
     * refused here, in one walk that visits each collection once (its expanded size is remembered).
     */
    private static void requireFinite(Object document) {
        expandedSize(document, Collections.newSetFromMap(new IdentityHashMap<>()),
                new IdentityHashMap<>());
    }

    private static long expandedSize(Object node, Set<Object> enclosing, Map<Object, Long> sizes) {
        if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
            if (node instanceof String text && !WellFormedText.isWellFormed(text)) {
                // YAML's "\0" and "\ud800" escapes: text no database column can hold (see WellFormedText).
                throw invalid("Invalid configuration format: a string contains a null character or invalid Unicode");
            }
            return 1;
        }
        if (node instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                expandedSize(key, enclosing, sizes);
            }
        }
        Long known = sizes.get(node);
        if (known != null) {
            return known;
        }
        if (!enclosing.add(node)) {
            throw invalid("Invalid configuration format: an alias refers to a collection that contains it");
        }
        long size = 1;
        Iterable<?> children = node instanceof Map<?, ?> map ? map.values() : (List<?>) node;
        for (Object child : children) {
            size += expandedSize(child, enclosing, sizes);
            if (size > MAX_EXPANDED_ELEMENTS) {
                throw invalid("Invalid configuration format: aliases expand to more than " + MAX_EXPANDED_ELEMENTS
                        + " elements");
            }
        }
        enclosing.remove(node);
        sizes.put(node, size);
        return size;
    }

    private static CiConfigException invalid(String message) {
        return new CiConfigException(List.of(message));
    }

    /**
     * GitLab: "(<unknown>): did not find expected key while parsing a block mapping at line 3 column 1". Like Psych,
     * a syntax error names where the construct it breaks began (its context): the problem itself is often only found
     * at the next token, which may be the end of the text, past its last line. A duplicate key is Jobyard's own
     * refusal (Psych keeps the last value) and names the duplicate, not the mapping that holds it.
     */
    private static String describe(MarkedYAMLException e) {
        boolean syntax = !(e instanceof ConstructorException);
        Mark mark = syntax && e.getContextMark() != null ? e.getContextMark()
                : e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
        String context = e.getContext() != null ? " while " + e.getContext().replaceFirst("^while ", "") : "";
        if (mark == null) {
            return "Invalid configuration format: " + problem + context;
        }
        return "(<unknown>): " + problem + context + " at line " + (mark.getLine() + 1) + " column "
                + (mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        List<String> lines = message.lines().toList();
        return lines.isEmpty() ? message : lines.get(0);
    }
}
