package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.out.CiConfigParser;
import io.jobyard.domain.pipeline.config.CiConfigCompiler;
import io.jobyard.domain.pipeline.config.CiConfigException;
import io.jobyard.domain.pipeline.config.PipelineDefinition;

import java.util.List;
import java.util.Map;

/**
 * Parses and compiles configuration text within the {@link PipelineLimits}: the parser refuses text or a parsed
 * document larger or deeper than allowed, then the job count is checked on the parsed document — before compiling, which
 * copies the document and resolves {@code extends:} — and once more on what it compiles to. GitLab counts jobs after
 * its lint (its size limit is a later step of pipeline creation), so a configuration with too many jobs and a lint
 * error is refused for its size here and for its lint error there; either way nothing is created.
 */
final class LimitedCompilation {
    private LimitedCompilation() {
    }

    static PipelineDefinition compile(CiConfigParser parser, PipelineLimits limits, String text) {
        Map<String, Object> root = parser.parse(text);
        int entries = CiConfigCompiler.visibleEntries(root);
        if (entries > limits.maxJobs()) {
            throw new CiConfigException(List.of(limits.tooManyJobs(entries)));
        }
        PipelineDefinition definition = CiConfigCompiler.compile(root);
        if (definition.jobs().size() > limits.maxJobs()) {
            throw new CiConfigException(List.of(limits.tooManyJobs(definition.jobs().size())));
        }
        return definition;
    }
}
