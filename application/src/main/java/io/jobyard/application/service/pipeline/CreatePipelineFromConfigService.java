package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase;
import io.jobyard.application.port.out.CiConfigParser;
import io.jobyard.application.port.out.CiConfigRepository.StoredCiConfig;
import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.config.CiConfigException;
import io.jobyard.domain.pipeline.config.PipelineDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /projects/:id/pipeline} from configuration text. GitLab checks {@code create_pipeline} before it reads
 * the configuration, so a reporter learns nothing about a configuration's errors; then the text given (or the
 * project's stored one) is compiled and the pipeline created from it.
 *
 * <p>The configuration's top-level {@code variables:} go into every job (under the job's own, which win), and only
 * the request's variables become the pipeline's: those are what {@code GET …/pipelines/:id/variables} shows, and they
 * win over both in the runner payload, as GitLab's variable precedence has it.
 */
public final class CreatePipelineFromConfigService implements CreatePipelineFromConfigUseCase {
    /** GitLab's {@code Gitlab::Ci::Pipeline::Chain::Config::Content} error for a project without a configuration. */
    static final String MISSING_CONFIG = "Missing CI config file";

    private final ProjectGate gate;
    private final CiConfigRepository configs;
    private final CiConfigParser parser;
    private final CreatePipelineUseCase createPipeline;
    private final PipelineLimits limits;

    public CreatePipelineFromConfigService(ProjectGate gate, CiConfigRepository configs, CiConfigParser parser,
                                           CreatePipelineUseCase createPipeline, PipelineLimits limits) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.configs = Objects.requireNonNull(configs, "configs");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.createPipeline = Objects.requireNonNull(createPipeline, "createPipeline");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public Pipeline create(Actor actor, CreateFromConfigCommand command) {
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, command.project());
        if (!access.canUpdateBuilds()) {
            throw new ForbiddenException();
        }
        String text = command.ciConfig() != null ? command.ciConfig()
                : configs.find(access.project().id()).map(StoredCiConfig::content)
                .orElseThrow(() -> new CiConfigException(List.of(MISSING_CONFIG)));
        PipelineDefinition definition = LimitedCompilation.compile(parser, limits, text);
        List<JobSpec> jobs = definition.jobs().stream()
                .map(spec -> spec.withVariables(underJobVariables(definition.variables(), spec.variables())))
                .toList();
        return createPipeline.create(actor, new CreatePipelineCommand(ProjectRef.of(access.project().id()),
                command.ref(), command.tag(), command.commit(), command.source(), definition.stages(), jobs,
                command.variables(), command.beforeSha(), command.repository()));
    }

    /** The configuration's variables the job does not define itself, then the job's own. */
    private static List<JobVariable> underJobVariables(List<JobVariable> global, List<JobVariable> own) {
        Set<String> ownKeys = own.stream().map(JobVariable::key).collect(Collectors.toSet());
        List<JobVariable> merged = new ArrayList<>();
        global.stream().filter(v -> !ownKeys.contains(v.key())).forEach(merged::add);
        merged.addAll(own);
        return merged;
    }
}
