package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;
import io.jobyard.application.port.out.CiConfigParser;
import io.jobyard.application.port.out.CiConfigRepository.StoredCiConfig;
import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.application.service.ActorChecks;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;

import java.time.Clock;
import java.util.Objects;

/**
 * A project's stored {@code .gitlab-ci.yml}. Those who can read its pipelines can read it (they see every job it
 * defines anyway); only maintainers change it, as only maintainers change CI/CD settings in GitLab. A configuration is
 * compiled before it is stored, so pipeline creation never meets a stored one its lint refuses.
 */
public final class CiConfigService implements CiConfigUseCase {
    private final ProjectGate gate;
    private final CiConfigRepository configs;
    private final CiConfigParser parser;
    private final Clock clock;
    private final PipelineLimits limits;

    public CiConfigService(ProjectGate gate, CiConfigRepository configs, CiConfigParser parser, Clock clock,
                           PipelineLimits limits) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.configs = Objects.requireNonNull(configs, "configs");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public String read(Actor actor, ProjectRef project) {
        ProjectAccess access = gate.open(actor, project);
        if (!access.canReadPipelines()) {
            throw new ForbiddenException();
        }
        return configs.find(access.project().id())
                .map(StoredCiConfig::content)
                .orElseThrow(() -> NotFoundException.resource("CI config"));
    }

    @Override
    public void store(Actor actor, ProjectRef project, String content) {
        Objects.requireNonNull(content, "content");
        ActorChecks.requireWriter(actor);
        ProjectAccess access = gate.open(actor, project);
        if (!access.isMaintainer()) {
            throw new ForbiddenException();
        }
        // What pipeline creation would refuse, including a configuration over the limits, is never stored.
        LimitedCompilation.compile(parser, limits, content);
        configs.put(new StoredCiConfig(access.project().id(), content, clock.instant()));
    }
}
