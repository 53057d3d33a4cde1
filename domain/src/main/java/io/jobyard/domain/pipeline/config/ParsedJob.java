package io.jobyard.domain.pipeline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobyard.domain.pipeline.config.ConfigValues.hash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isHash;

/**
 * A visible job of a well-formed configuration, with what GitLab's logical validation looks at.
 *
 * @param needs        the {@code needs:} entries, or null when the job has none (stage ordering)
 * @param dependencies the {@code dependencies:} names, or null when not given
 * @param config       the job's own configuration (after {@code extends:})
 */
record ParsedJob(String name, String stage, List<Need> needs, List<String> dependencies, Map<String, Object> config) {

    /** One {@code needs:} entry ({@code Entry::Need}'s value): artifacts and optional as GitLab defaults them. */
    record Need(String name, boolean artifacts, boolean optional) {
    }

    static ParsedJob of(String name, Map<String, Object> config) {
        Object stage = config.get("stage");
        List<Need> needs = null;
        if (config.get("needs") != null) {
            needs = new ArrayList<>();
            for (Object need : EntrySyntax.flatten(config.get("needs"))) {
                if (isHash(need)) {
                    Map<String, Object> hash = hash(need);
                    needs.add(new Need(ConfigValues.toS(hash.get("job")),
                            !Boolean.FALSE.equals(hash.get("artifacts")),
                            Boolean.TRUE.equals(hash.get("optional"))));
                } else {
                    needs.add(new Need(ConfigValues.toS(need), true, false));
                }
            }
        }
        List<String> dependencies = config.get("dependencies") == null
                ? null : ConfigValues.stringOrStrings(config.get("dependencies"));
        return new ParsedJob(name, stage == null ? "test" : ConfigValues.toS(stage), needs, dependencies, config);
    }

    /** Whether the job declares {@code needs:}, an empty list included: GitLab's {@code scheduling_type: :dag}. */
    boolean dag() {
        return needs != null;
    }
}
