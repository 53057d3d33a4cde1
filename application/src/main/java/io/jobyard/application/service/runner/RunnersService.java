package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.GoneException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.TextTooLongException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.runner.RunnerType;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * GitLab's {@code Ci::Runners::CreateRunnerService} behind {@code POST /user/runners}, plus verify and delete by
 * token, and an administrator's (or project Maintainer's) delete and token reset by id. The creation checks follow
 * GitLab's strategies: the scope is validated first (400 "Missing/invalid scope"), then the caller's right to create
 * in it (403 "Insufficient permissions").
 */
public final class RunnersService implements RunnersUseCase {
    /** GitLab's prefix of instance, group and project registration tokens. */
    static final String REGISTRATION_TOKEN_PREFIX = "GR1348941";
    static final String INVALID_SCOPE = "Missing/invalid scope";
    static final String INSUFFICIENT_PERMISSIONS = "Insufficient permissions";
    static final String NO_ACCESS_GRANTED = "No access granted";
    static final String TAGS_REQUIRED = "Tags list can not be empty when runner is not allowed to pick untagged jobs";

    private final RunnerRepository runners;
    private final ProjectRepository projects;
    private final Clock clock;

    public RunnersService(RunnerRepository runners, ProjectRepository projects, Clock clock) {
        this.runners = Objects.requireNonNull(runners, "runners");
        this.projects = Objects.requireNonNull(projects, "projects");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CreatedRunner create(Actor actor, NewRunner request) {
        if (actor instanceof Actor.Anonymous || actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (!actor.canWrite()) {
            throw new ForbiddenException();
        }
        ProjectId owner = switch (request.type()) {
            case INSTANCE_TYPE -> {
                if (!actor.isAdmin()) {
                    throw new ForbiddenException(INSUFFICIENT_PERMISSIONS);
                }
                // GitLab's instance strategy ignores a project_id sent along.
                yield null;
            }
            // Jobyard has no groups, so a group runner never finds its scope.
            case GROUP_TYPE -> throw new BadRequestException(INVALID_SCOPE);
            case PROJECT_TYPE -> requireMaintainedProject(actor, request.project()).id();
        };
        List<String> tags = normalizedTags(request.tags());
        if (tags.isEmpty() && !request.runUntagged()) {
            throw new BadRequestException(TAGS_REQUIRED);
        }
        String token = SecretTokens.generate(RunnerTokens.PREFIX);
        Instant now = clock.instant();
        Runner runner;
        try {
            runner = new Runner(runners.nextId(), request.description(), request.type(), owner, !request.paused(), tags,
                    request.runUntagged(), false, SecretTokens.digest(token), now, null);
        } catch (TextTooLongException tooLong) {
            // GitLab's service answers its model's errors with bad_request!(runner.errors.full_messages...).
            throw new BadRequestException(tooLong.fullMessage());
        }
        return new CreatedRunner(runners.insert(runner), token);
    }

    private Project requireMaintainedProject(Actor actor, ProjectId id) {
        Project project = id == null ? null : projects.findById(id).orElse(null);
        if (project == null) {
            throw new BadRequestException(INVALID_SCOPE);
        }
        Role role = actor.user().flatMap(u -> projects.roleOf(project.id(), u.id())).orElse(null);
        if (!new ProjectAccess(project, actor, role).isMaintainer()) {
            throw new ForbiddenException(INSUFFICIENT_PERMISSIONS);
        }
        return project;
    }

    /** GitLab's tag list: trimmed, blanks dropped, each tag once. */
    private static List<String> normalizedTags(List<String> tags) {
        Set<String> result = new LinkedHashSet<>();
        for (String tag : tags) {
            if (tag != null && !tag.isBlank()) {
                result.add(tag.strip());
            }
        }
        return List.copyOf(result);
    }

    /**
     * GitLab's {@code Ci::Runners::RegisterRunnerService}: a token that is no registration token is "invalid token
     * supplied" (403); a registration token, when the instance disallows registration with them, is "runner
     * registration disallowed" (410). Jobyard issues no registration tokens and allows no registration with them, so
     * it recognises one by GitLab's form ({@value #REGISTRATION_TOKEN_PREFIX}, {@code RunnersTokenPrefixable}) and
     * tells its holder that this way of registering is gone rather than that the token is wrong.
     */
    @Override
    public Runner registerWithRegistrationToken(String registrationToken) {
        if (registrationToken != null && registrationToken.startsWith(REGISTRATION_TOKEN_PREFIX)
                && registrationToken.length() > REGISTRATION_TOKEN_PREFIX.length()) {
            throw new GoneException("runner registration disallowed");
        }
        throw new ForbiddenException("invalid token supplied");
    }

    @Override
    public Runner verify(String token) {
        return RunnerTokens.authenticate(runners, token);
    }

    @Override
    public void delete(String token) {
        runners.delete(RunnerTokens.authenticate(runners, token).id());
    }

    @Override
    public void deleteById(Actor actor, RunnerId id) {
        runners.delete(administered(actor, id).id());
    }

    @Override
    public CreatedRunner resetToken(Actor actor, RunnerId id) {
        Runner runner = administered(actor, id);
        String token = SecretTokens.generate(RunnerTokens.PREFIX);
        return new CreatedRunner(runners.update(runner.withTokenDigest(SecretTokens.digest(token))), token);
    }

    /**
     * GitLab's {@code get_runner} then {@code authenticate_update_runner!} / {@code authenticate_delete_runner!}:
     * administrators manage every runner, a project's Maintainers that project's runners.
     */
    private Runner administered(Actor actor, RunnerId id) {
        if (actor instanceof Actor.Anonymous || actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (!actor.canWrite()) {
            throw new ForbiddenException();
        }
        Runner runner = runners.findById(id).orElseThrow(() -> NotFoundException.record("Runner"));
        if (actor.isAdmin()) {
            return runner;
        }
        boolean maintainer = runner.type() == RunnerType.PROJECT_TYPE && projects.findById(runner.projectId())
                .map(project -> new ProjectAccess(project, actor, actor.user()
                        .flatMap(u -> projects.roleOf(project.id(), u.id())).orElse(null)).isMaintainer())
                .orElse(false);
        if (!maintainer) {
            throw new ForbiddenException(NO_ACCESS_GRANTED);
        }
        return runner;
    }
}
