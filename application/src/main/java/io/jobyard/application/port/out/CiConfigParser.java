package io.jobyard.application.port.out;

import java.util.Map;

/**
 * Reads {@code .gitlab-ci.yml} text into the plain values (maps, lists, strings, numbers, booleans, nulls)
 * {@link io.jobyard.domain.pipeline.config.CiConfigCompiler} compiles. YAML is an adapter's technology; what the
 * configuration means is the domain's.
 */
public interface CiConfigParser {

    /**
     * @return the top-level mapping
     * @throws io.jobyard.domain.pipeline.config.CiConfigException when the text is not a YAML mapping, naming the line
     */
    Map<String, Object> parse(String text);
}
