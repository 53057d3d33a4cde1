package io.jobyard.application.memory;

import io.jobyard.application.port.out.HookRepository;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.event.EventKind;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.project.ProjectId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Hooks, their queue and their log in memory, transactional with its {@link InMemoryTransactor}. */
public final class InMemoryHookRepository implements HookRepository {
    private record Queued(Delivery delivery, boolean delivered, Instant nextAttemptAt, String leaseOwner,
                          Instant leaseUntil, Instant deliveredAt) {
        Queued with(Delivery d, boolean done, Instant next, String owner, Instant until, Instant doneAt) {
            return new Queued(d, done, next, owner, until, doneAt);
        }
    }

    private final InMemoryTransactor transactor;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong deliveryIds = new AtomicLong();
    private final AtomicLong logIds = new AtomicLong();
    private final Rows<HookId, ProjectHook> hooks;
    private final Rows<Long, Queued> deliveries;
    private final Rows<Long, HookLog> logs;

    public InMemoryHookRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.hooks = new Rows<>(transactor, Comparator.comparingLong(HookId::value));
        this.deliveries = new Rows<>(transactor, Comparator.naturalOrder());
        this.logs = new Rows<>(transactor, Comparator.naturalOrder());
    }

    @Override
    public HookId nextId() {
        return HookId.of(ids.incrementAndGet());
    }

    @Override
    public ProjectHook insert(ProjectHook hook) {
        return transactor.locked(() -> {
            hooks.put(hook.id(), hook);
            return hook;
        });
    }

    @Override
    public ProjectHook update(ProjectHook hook) {
        return transactor.locked(() -> {
            if (!hooks.contains(hook.id())) {
                throw NotFoundException.record("Hook");
            }
            hooks.put(hook.id(), hook);
            return hook;
        });
    }

    @Override
    public void updateFailureState(HookId id, int recentFailures, Instant disabledUntil) {
        transactor.locked(() -> hooks.get(id).ifPresent(h -> hooks.put(id, new ProjectHook(h.id(), h.projectId(),
                h.url(), h.token(), h.name(), h.description(), h.triggers(), h.enableSslVerification(),
                h.pushEventsBranchFilter(), h.branchFilterStrategy(), recentFailures, disabledUntil,
                h.createdAt()))));
    }

    @Override
    public boolean delete(HookId id) {
        return transactor.locked(() -> {
            List.copyOf(deliveries.all()).stream().filter(q -> q.delivery().hook().equals(id))
                    .forEach(q -> deliveries.remove(q.delivery().id()));
            List.copyOf(logs.all()).stream().filter(l -> l.hook().equals(id)).forEach(l -> logs.remove(l.id()));
            return hooks.remove(id);
        });
    }

    @Override
    public Optional<ProjectHook> findById(HookId id) {
        return transactor.locked(() -> hooks.get(id));
    }

    @Override
    public List<ProjectHook> listForProject(ProjectId project, long offset, int limit) {
        return transactor.locked(() -> hooks.all().stream().filter(h -> h.projectId().equals(project))
                .skip(offset).limit(limit).toList());
    }

    @Override
    public List<ProjectHook> listForProjectAfter(ProjectId project, HookId after, int limit) {
        return transactor.locked(() -> hooks.all().stream()
                .filter(h -> h.projectId().equals(project) && (after == null || h.id().value() > after.value()))
                .sorted(java.util.Comparator.comparingLong(h -> h.id().value())).limit(limit).toList());
    }

    @Override
    public long countForProject(ProjectId project) {
        return transactor.locked(() -> hooks.all().stream().filter(h -> h.projectId().equals(project)).count());
    }

    @Override
    public Subscribers subscribers(Set<ProjectId> projects) {
        Map<ProjectId, List<ProjectHook>> subscribed = transactor.locked(() -> {
            Map<ProjectId, List<ProjectHook>> read = new HashMap<>();
            projects.forEach(project -> read.put(project, new ArrayList<>()));
            for (ProjectHook hook : List.copyOf(hooks.all())) {
                List<ProjectHook> ofProject = read.get(hook.projectId());
                if (ofProject != null && !hook.permanentlyDisabled()
                        && (hook.subscribes(HookTrigger.JOB_EVENTS) || hook.subscribes(HookTrigger.PIPELINE_EVENTS))) {
                    ofProject.add(hook);
                }
            }
            return read;
        });
        return (events, now) -> transactor.locked(() -> {
            int queued = 0;
            for (StatusEvent event : events) {
                List<ProjectHook> ofProject = subscribed.get(event.project());
                if (ofProject == null) {
                    throw new IllegalArgumentException("the hooks of project " + event.project().value()
                            + " were not read");
                }
                HookTrigger wanted = event.kind() == EventKind.JOB ? HookTrigger.JOB_EVENTS
                        : HookTrigger.PIPELINE_EVENTS;
                for (ProjectHook hook : ofProject) {
                    if (hook.subscribes(wanted)) {
                        long id = deliveryIds.incrementAndGet();
                        deliveries.put(id, new Queued(new Delivery(id, hook.id(), Delivery.laneOf(event), event,
                                UUID.randomUUID().toString(), 0, null, now), false, now, null, null, null));
                        queued++;
                    }
                }
            }
            return queued;
        });
    }

    @Override
    public List<Delivery> claimDue(Instant now, int limit, String owner, Duration lease) {
        return transactor.locked(() -> {
            List<Delivery> claimed = new ArrayList<>();
            List<String> lanesSeen = new ArrayList<>();
            for (Queued queued : List.copyOf(deliveries.all())) {
                if (claimed.size() >= limit) {
                    break;
                }
                if (queued.delivered()) {
                    continue;
                }
                String lane = queued.delivery().hook() + "/" + queued.delivery().lane();
                boolean first = !lanesSeen.contains(lane);
                lanesSeen.add(lane);
                ProjectHook hook = hooks.get(queued.delivery().hook()).orElse(null);
                boolean free = queued.leaseUntil() == null || queued.leaseUntil().isBefore(now);
                if (first && free && hook != null && hook.executable(now) && !queued.nextAttemptAt().isAfter(now)) {
                    deliveries.put(queued.delivery().id(), queued.with(queued.delivery(), false,
                            queued.nextAttemptAt(), owner, now.plus(lease), null));
                    claimed.add(queued.delivery());
                }
            }
            return claimed;
        });
    }

    @Override
    public boolean markDelivered(long deliveryId, String owner, Instant at) {
        return transactor.locked(() -> deliveries.get(deliveryId)
                .filter(q -> !q.delivered() && owner.equals(q.leaseOwner()))
                .map(q -> {
                    deliveries.put(deliveryId, q.with(q.delivery(), true, q.nextAttemptAt(), null, null, at));
                    return true;
                }).orElse(false));
    }

    @Override
    public boolean reschedule(long deliveryId, String owner, Instant nextAttemptAt, int attempts,
                              String requestBody) {
        return transactor.locked(() -> deliveries.get(deliveryId)
                .filter(q -> !q.delivered() && owner.equals(q.leaseOwner()))
                .map(q -> {
                    Delivery d = q.delivery();
                    deliveries.put(deliveryId, q.with(new Delivery(d.id(), d.hook(), d.lane(), d.event(),
                            d.idempotencyKey(), attempts, requestBody, d.createdAt()), false, nextAttemptAt, null,
                            null, null));
                    return true;
                }).orElse(false));
    }

    @Override
    public int releaseWaiting(HookId hook, Instant now) {
        return transactor.locked(() -> {
            int released = 0;
            for (Queued q : List.copyOf(deliveries.all())) {
                if (!q.delivered() && q.delivery().hook().equals(hook) && q.nextAttemptAt().isAfter(now)) {
                    deliveries.put(q.delivery().id(), q.with(q.delivery(), false, now, q.leaseOwner(),
                            q.leaseUntil(), null));
                    released++;
                }
            }
            return released;
        });
    }

    @Override
    public long pendingCount(HookId hook) {
        return transactor.locked(() -> deliveries.all().stream()
                .filter(q -> !q.delivered() && q.delivery().hook().equals(hook)).count());
    }

    @Override
    public int pruneDelivered(Instant before, int limit) {
        return transactor.locked(() -> {
            List<Long> old = deliveries.all().stream()
                    .filter(q -> q.delivered() && q.deliveredAt().isBefore(before))
                    .map(q -> q.delivery().id()).limit(limit).toList();
            old.forEach(deliveries::remove);
            return old.size();
        });
    }

    @Override
    public HookLog log(HookLog entry) {
        return transactor.locked(() -> {
            HookLog stored = entry.withId(logIds.incrementAndGet());
            logs.put(stored.id(), stored);
            return stored;
        });
    }

    @Override
    public List<HookLog> logs(HookId hook, StatusFilter filter, long offset, int limit) {
        return transactor.locked(() -> logs.descending().stream()
                .filter(l -> l.hook().equals(hook) && filter.matches(l.statusCode()))
                .skip(offset).limit(limit).toList());
    }

    @Override
    public List<HookLog> logsBefore(HookId hook, StatusFilter filter, Long beforeId, int limit) {
        return transactor.locked(() -> logs.descending().stream()
                .filter(l -> l.hook().equals(hook) && filter.matches(l.statusCode())
                        && (beforeId == null || l.id() < beforeId))
                .limit(limit).toList());
    }

    @Override
    public long countLogs(HookId hook, StatusFilter filter) {
        return transactor.locked(() -> logs.all().stream()
                .filter(l -> l.hook().equals(hook) && filter.matches(l.statusCode())).count());
    }

    @Override
    public int pruneLogs(Instant before, int limit) {
        return transactor.locked(() -> {
            List<Long> old = logs.all().stream().filter(l -> l.createdAt().isBefore(before)).map(HookLog::id)
                    .limit(limit).toList();
            old.forEach(logs::remove);
            return old.size();
        });
    }
}
