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

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code .gitlab-ci.yml} text into plain Java values (maps, lists, strings, numbers, booleans) for the domain's
 * configuration compiler. Only safe YAML: no custom tags, bounded aliases (a "billion laughs" document is refused),
 * a bounded document size. Errors name the line, as GitLab's lint does.
 */
public final class CiYamlParser implements CiConfigParser {
    /** GitLab's default {@code max_yaml_size_bytes} is 2 MiB; its depth limit is 100. */
    public static final int MAX_CODE_POINTS = 2 * 1024 * 1024;
    private static final int MAX_ALIASES = 100;
    private static final int MAX_NESTING = 100;
    /** Far beyond any real configuration, far below what would exhaust memory once aliases are expanded. */
    private static final long MAX_EXPANDED_ELEMENTS = 200_000;

    @Override
    public Map<String, Object> parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("Please provide content of .gitlab-ci.yml");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Object document;
        try {
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
