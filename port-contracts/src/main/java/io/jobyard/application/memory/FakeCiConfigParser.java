package io.jobyard.application.memory;

import io.jobyard.application.port.out.CiConfigParser;
import io.jobyard.domain.pipeline.config.CiConfigException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser that knows a few texts by heart: YAML is the HTTP adapter's technology, and the services only need some
 * text to stand for some parsed configuration. Any other text is "not YAML".
 */
public final class FakeCiConfigParser implements CiConfigParser {
    public static final String NOT_YAML = "(<unknown>): did not find expected node content at line 1 column 8";

    private final Map<String, Map<String, Object>> known = new HashMap<>();

    public FakeCiConfigParser knows(String text, Map<String, Object> parsed) {
        known.put(text, parsed);
        return this;
    }

    @Override
    public Map<String, Object> parse(String text) {
        Map<String, Object> parsed = known.get(text);
        if (parsed == null) {
            throw new CiConfigException(List.of(NOT_YAML));
        }
        return parsed;
    }
}
