package io.jobyard.application.service.hook;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.event.HookPayload;
import io.jobyard.application.port.in.hook.HooksUseCase;
import io.jobyard.application.port.out.ApplicationSettingsRepository;
import io.jobyard.application.port.out.HookPayloadEncoder;
import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.HookRepository.HookLog;
import io.jobyard.application.port.out.HookRepository.StatusFilter;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.ProjectGate;
import io.jobyard.application.service.event.EventPayloads;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.access.ProjectAccess;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.error.UnprocessableException;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.ProjectId;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@link HooksUseCase}: GitLab's project hooks, for a project's Maintainers and administrators. */
public final class HooksService implements HooksUseCase {
    /** GitLab's {@code render_api_error!} text when a hook's URL is refused, whatever the reason. */
    static final String INVALID_URL = "Invalid url given";

    private final ProjectGate gate;
    private final HookRepository hooks;
    private final ApplicationSettingsRepository settings;
    private final UrlGuard guard;
    private final JobRepository jobs;
    private final PipelineRepository pipelines;
    private final EventPayloads payloads;
    private final HookPayloadEncoder encoder;
    private final HookDispatcher dispatcher;
    private final Transactor transactor;
    private final Clock clock;

    public HooksService(ProjectGate gate, HookRepository hooks, ApplicationSettingsRepository settings, UrlGuard guard,
                        JobRepository jobs, PipelineRepository pipelines, EventPayloads payloads,
                        HookPayloadEncoder encoder, HookDispatcher dispatcher, Transactor transactor, Clock clock) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code authenticate!} then {@code authorize_admin_project}; writes also need write credentials. */
    private ProjectAccess maintainer(Actor actor, ProjectRef project, boolean write) {
        if (actor instanceof Actor.Anonymous || actor.user().isEmpty()) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (actor instanceof Actor.JobTokenActor) {
            // The hooks API is not job_token_allowed: a CI job token does not identify anyone here.
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (write && !actor.canWrite()) {
            throw new ForbiddenException();
        }
        ProjectAccess access = gate.open(actor, project);
        if (!access.isMaintainer()) {
            throw new ForbiddenException();
        }
        return access;
    }

    private ProjectHook find(ProjectAccess access, HookId id) {
        return hooks.findById(id).filter(h -> h.projectId().equals(access.project().id()))
                .orElseThrow(() -> NotFoundException.record("Hook"));
    }

    @Override
    public ListPage<ProjectHook> list(Actor actor, ProjectRef project, Pagination.Offset page) {
        ProjectId id = maintainer(actor, project, false).project().id();
        return transactor.reading(() -> new ListPage<>(hooks.listForProject(id, page.offset(), page.perPage()),
                hooks.countForProject(id), page));
    }

    @Override
    public KeysetPage<ProjectHook> list(Actor actor, ProjectRef project, Pagination.Keyset page) {
        ProjectId id = maintainer(actor, project, false).project().id();
        HookId after = page.after() == null ? null : HookId.of(page.after().id());
        return KeysetPage.of(hooks.listForProjectAfter(id, after, page.perPage() + 1), page.perPage());
    }

    @Override
    public ProjectHook get(Actor actor, ProjectRef project, HookId hook) {
        return find(maintainer(actor, project, false), hook);
    }

    @Override
    public ProjectHook create(Actor actor, ProjectRef project, HookChanges changes) {
        ProjectAccess access = maintainer(actor, project, true);
        String url = changes.url().orElseThrow(() -> new UnprocessableException(INVALID_URL));
        checkUrl(url);
        Set<HookTrigger> triggers = EnumSet.noneOf(HookTrigger.class);
        for (HookTrigger trigger : HookTrigger.values()) {
            if (changes.triggers().getOrDefault(trigger, trigger.defaultOn())) {
                triggers.add(trigger);
            }
        }
        ProjectHook hook = new ProjectHook(hooks.nextId(), access.project().id(), url,
                changes.token().filter(t -> !t.isEmpty()).orElse(null), changes.name().orElse(null),
                changes.description().orElse(null), triggers, changes.enableSslVerification().orElse(true),
                changes.pushEventsBranchFilter().orElse(null), strategy(changes).orElse("wildcard"), 0, null,
                clock.instant());
        return hooks.insert(hook);
    }

    private static Optional<String> strategy(HookChanges changes) {
        Optional<String> strategy = changes.branchFilterStrategy();
        if (strategy.isPresent() && !Set.of("wildcard", "regex", "all_branches").contains(strategy.get())) {
            throw new io.jobyard.domain.error.InvalidParameterException(
                    "branch_filter_strategy does not have a valid value");
        }
        return strategy;
    }

    /** GitLab validates the URL with its request forgery rules as the hook is saved: any refusal is one message. */
    private void checkUrl(String url) {
        try {
            URI uri = UrlGuard.parse(url);
            if (uri.toString().length() > 2048) {
                throw new UrlGuard.BlockedUrlException("URI is too long");
            }
            guard.vet(uri, settings.get().allowLocalRequestsFromWebHooksAndServices());
        } catch (UrlGuard.BlockedUrlException refused) {
            if (refused.getMessage().startsWith("Host cannot be resolved")) {
                // A name that does not resolve now cannot be judged; the check at each delivery judges it then.
                return;
            }
            throw new UnprocessableException(INVALID_URL);
        }
    }

    @Override
    public ProjectHook update(Actor actor, ProjectRef project, HookId id, HookChanges changes) {
        ProjectAccess access = maintainer(actor, project, true);
        ProjectHook current = find(access, id);
        changes.url().ifPresent(this::checkUrl);
        Set<HookTrigger> triggers = current.triggers().isEmpty() ? EnumSet.noneOf(HookTrigger.class)
                : EnumSet.copyOf(current.triggers());
        for (Map.Entry<HookTrigger, Boolean> named : changes.triggers().entrySet()) {
            if (named.getValue()) {
                triggers.add(named.getKey());
            } else {
                triggers.remove(named.getKey());
            }
        }
        String url = changes.url().orElse(current.url());
        // GitLab drops the secret token when the URL changes and no new one is given.
        String token = changes.token().isPresent() ? changes.token().filter(t -> !t.isEmpty()).orElse(null)
                : url.equals(current.url()) ? current.token() : null;
        ProjectHook changed = new ProjectHook(current.id(), current.projectId(), url, token,
                changes.name().orElse(current.name()), changes.description().orElse(current.description()),
                triggers, changes.enableSslVerification().orElse(current.enableSslVerification()),
                changes.pushEventsBranchFilter().orElse(current.pushEventsBranchFilter()),
                strategy(changes).orElse(current.branchFilterStrategy()), current.recentFailures(),
                current.disabledUntil(), current.createdAt()).enabled();
        ProjectHook stored = hooks.update(changed);
        if (current.recentFailures() > 0 || current.disabledUntil() != null) {
            hooks.releaseWaiting(current.id(), clock.instant());
        }
        return stored;
    }

    @Override
    public void delete(Actor actor, ProjectRef project, HookId id) {
        ProjectAccess access = maintainer(actor, project, true);
        ProjectHook hook = find(access, id);
        if (!hooks.delete(hook.id())) {
            throw NotFoundException.record("Hook");
        }
    }

    @Override
    public TestResult test(Actor actor, ProjectRef project, HookId id, HookTrigger trigger) {
        ProjectAccess access = maintainer(actor, project, true);
        ProjectHook hook = find(access, id);
        HookPayload payload = testPayload(access.project().id(), trigger);
        String body = encoder.encode(payload);
        HookDispatcher.Attempt attempt = dispatcher.send(hook, payload.eventHeader(), payload.trigger(),
                payload.event().uuid(), UUID.randomUUID().toString(), body);
        Integer status = attempt.response().status();
        if (status == null || status < 200 || status > 299) {
            throw new UnprocessableException(status == null ? attempt.response().error()
                    : attempt.response().body());
        }
        return new TestResult(status, attempt.response().body());
    }

    /**
     * GitLab's {@code TestHooks::ProjectService}: a job test sends the project's latest job, a pipeline test its latest
     * pipeline, each with its current status; Jobyard has nothing to send for the other events.
     */
    private HookPayload testPayload(ProjectId project, HookTrigger trigger) {
        Instant now = clock.instant();
        StatusEvent event;
        switch (trigger) {
            case JOB_EVENTS -> {
                Job job = jobs.listForProject(project, Set.of(), 0, 1).stream().findFirst()
                        .orElseThrow(() -> new UnprocessableException("Ensure the project has CI jobs."));
                event = new StatusEvent(0, project, 0, io.jobyard.domain.event.EventKind.JOB, job.id(),
                        job.pipelineId(), job.status(), null, UUID.randomUUID().toString(), now);
            }
            case PIPELINE_EVENTS -> {
                Pipeline pipeline = pipelines.list(project, PipelineRepository.PipelineFilter.ALL, 0, 1).stream()
                        .findFirst()
                        .orElseThrow(() -> new UnprocessableException("Ensure the project has CI pipelines."));
                event = new StatusEvent(0, project, 0, io.jobyard.domain.event.EventKind.PIPELINE, null,
                        pipeline.id(), pipeline.status(), null, UUID.randomUUID().toString(), now);
            }
            default -> throw new UnprocessableException(nothingToTest(trigger));
        }
        return payloads.payload(event).orElseThrow(() -> new UnprocessableException("Ensure the project has CI jobs."));
    }

    private static String nothingToTest(HookTrigger trigger) {
        return switch (trigger) {
            case PUSH_EVENTS, TAG_PUSH_EVENTS -> "Ensure the project has at least one commit.";
            case ISSUES_EVENTS, CONFIDENTIAL_ISSUES_EVENTS -> "Ensure the project has issues.";
            case NOTE_EVENTS, CONFIDENTIAL_NOTE_EVENTS, EMOJI_EVENTS -> "Ensure the project has notes.";
            case MERGE_REQUESTS_EVENTS -> "Ensure the project has merge requests.";
            case WIKI_PAGE_EVENTS -> "Ensure the wiki is enabled and has pages.";
            case DEPLOYMENT_EVENTS -> "Ensure the project has deployments.";
            case RELEASES_EVENTS -> "Ensure the project has releases.";
            case MILESTONE_EVENTS -> "Ensure the project has milestones.";
            default -> "Ensure the project has " + trigger.attribute().replace("_events", "").replace('_', ' ')
                    + " events.";
        };
    }

    @Override
    public ListPage<HookLog> events(Actor actor, ProjectRef project, HookId id, StatusFilter filter,
                                   Pagination.Offset page) {
        ProjectHook hook = find(maintainer(actor, project, false), id);
        return transactor.reading(() -> new ListPage<>(hooks.logs(hook.id(), filter, page.offset(), page.perPage()),
                hooks.countLogs(hook.id(), filter), page));
    }

    @Override
    public KeysetPage<HookLog> events(Actor actor, ProjectRef project, HookId id, StatusFilter filter,
                                      Pagination.Keyset page) {
        ProjectHook hook = find(maintainer(actor, project, false), id);
        Long before = page.after() == null ? null : page.after().id();
        return KeysetPage.of(hooks.logsBefore(hook.id(), filter, before, page.perPage() + 1), page.perPage());
    }

}
