package io.jobyard.application.contract;

import io.jobyard.application.port.out.HookRepository;
import io.jobyard.application.port.out.HookRepository.Delivery;
import io.jobyard.application.port.out.HookRepository.HookLog;
import io.jobyard.application.port.out.HookRepository.StatusFilter;
import io.jobyard.application.port.out.ApplicationSettingsRepository.ApplicationSettings;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link HookRepository} (and instance settings store) has. Extend it and supply the stores. */
public abstract class HookRepositoryContract extends RepositoryContract {
    protected EventStores stores;
    private HookRepository hooks;
    private Project project;

    protected abstract EventStores eventStores();

    @Override
    protected Repositories repositories() {
        stores = eventStores();
        return stores.repos();
    }

    @BeforeEach
    void openHooks() {
        hooks = stores.hooks();
        project = data.project("hooked-" + TestData.unique());
    }

    private ProjectHook hook(Set<HookTrigger> triggers) {
        return hooks.insert(new ProjectHook(hooks.nextId(), project.id(), "https://example.com/hook", "s3cret",
                "name", "description", triggers, true, null, "wildcard", 0, null, T0));
    }

    private List<StatusEvent> events(StatusEvent.Change... changes) {
        return repos.transactor().inTransaction(() -> {
            List<StatusEvent> appended = stores.events().append(List.of(changes), T0);
            hooks.enqueue(appended, T0);
            return appended;
        });
    }

    private StatusEvent.Change jobChange(long job, JobStatus to) {
        return StatusEvent.Change.ofJob(project.id(), JobId.of(job), PipelineId.of(1), null, to);
    }

    @Test
    public void aHookReadsBackAsStoredAndChanges() {
        ProjectHook stored = hook(Set.of(HookTrigger.JOB_EVENTS, HookTrigger.PUSH_EVENTS));
        assertThat(hooks.findById(stored.id())).contains(stored);
        assertThat(hooks.listForProject(project.id(), 0, 10)).containsExactly(stored);
        assertThat(hooks.countForProject(project.id())).isEqualTo(1);
        ProjectHook second = hook(Set.of(HookTrigger.JOB_EVENTS));
        assertThat(hooks.listForProjectAfter(project.id(), null, 1)).containsExactly(stored);
        assertThat(hooks.listForProjectAfter(project.id(), stored.id(), 5)).containsExactly(second);
        assertThat(hooks.listForProjectAfter(project.id(), second.id(), 5)).isEmpty();
        hooks.delete(second.id());

        ProjectHook changed = new ProjectHook(stored.id(), project.id(), "https://example.org/other", null, null, null,
                Set.of(HookTrigger.PIPELINE_EVENTS), false, "main", "regex", 5, T0.plusSeconds(60), T0);
        hooks.update(changed);
        assertThat(hooks.findById(stored.id())).contains(changed);

        hooks.updateFailureState(stored.id(), 0, null);
        assertThat(hooks.findById(stored.id()).orElseThrow().recentFailures()).isZero();
        assertThat(hooks.delete(stored.id())).isTrue();
        assertThat(hooks.findById(stored.id())).isEmpty();
        assertThat(hooks.delete(stored.id())).isFalse();
        assertThatThrownBy(() -> hooks.update(changed)).hasMessageContaining("not found");
    }

    @Test
    public void eventsAreQueuedForTheHooksThatSubscribeToTheirKind() {
        ProjectHook jobs = hook(Set.of(HookTrigger.JOB_EVENTS));
        ProjectHook pipelines = hook(Set.of(HookTrigger.PIPELINE_EVENTS));
        ProjectHook push = hook(Set.of(HookTrigger.PUSH_EVENTS));
        ProjectHook gone = hooks.insert(new ProjectHook(hooks.nextId(), project.id(), "https://example.com/x", null,
                null, null, Set.of(HookTrigger.JOB_EVENTS), true, null, "wildcard",
                ProjectHook.PERMANENTLY_DISABLED_FAILURE_THRESHOLD + 1, null, T0));

        events(jobChange(1, JobStatus.CREATED), StatusEvent.Change.ofPipeline(project.id(), PipelineId.of(1), null,
                JobStatus.CREATED));

        assertThat(hooks.pendingCount(jobs.id())).isEqualTo(1);
        assertThat(hooks.pendingCount(pipelines.id())).isEqualTo(1);
        assertThat(hooks.pendingCount(push.id())).isZero();
        assertThat(hooks.pendingCount(gone.id())).isZero();
    }

    @Test
    public void aLaneIsDeliveredOneAtATimeInQueueOrder() {
        ProjectHook hook = hook(Set.of(HookTrigger.JOB_EVENTS));
        List<StatusEvent> appended = events(jobChange(1, JobStatus.CREATED), jobChange(2, JobStatus.CREATED),
                jobChange(1, JobStatus.PENDING));
        Duration lease = Duration.ofSeconds(30);

        List<Delivery> first = hooks.claimDue(T0, 10, "a", lease);
        assertThat(first).extracting(d -> d.event().id()).containsExactly(appended.get(0).id(), appended.get(1).id());
        assertThat(first.get(0).lane()).isEqualTo("job:1");
        assertThat(hooks.claimDue(T0, 10, "b", lease)).as("leased, and job 1's second waits for its first").isEmpty();

        assertThat(hooks.markDelivered(first.get(0).id(), "b", T0)).as("not b's lease").isFalse();
        assertThat(hooks.markDelivered(first.get(0).id(), "a", T0)).isTrue();
        List<Delivery> next = hooks.claimDue(T0, 10, "b", lease);
        assertThat(next).extracting(d -> d.event().id()).containsExactly(appended.get(2).id());
        assertThat(next.get(0).event()).isEqualTo(appended.get(2));
        assertThat(hooks.pendingCount(hook.id())).isEqualTo(2);
    }

    @Test
    public void subscribersReadBeforeTheEventsQueueThemOnceNumbered() {
        ProjectHook jobHook = hook(Set.of(HookTrigger.JOB_EVENTS));
        hook(Set.of(HookTrigger.PIPELINE_EVENTS));
        ProjectId elsewhere = data.project("unhooked-" + TestData.unique()).id();

        int queued = repos.transactor().inTransaction(() -> {
            HookRepository.Subscribers subscribers = hooks.subscribers(Set.of(project.id(), elsewhere));
            List<StatusEvent> appended = stores.events().append(List.of(jobChange(7, JobStatus.PENDING),
                    StatusEvent.Change.ofJob(elsewhere, JobId.of(8), PipelineId.of(2), null, JobStatus.PENDING)), T0);
            return subscribers.enqueue(appended, T0);
        });

        assertThat(queued).isEqualTo(1);
        assertThat(hooks.claimDue(T0, 10, "a", Duration.ofSeconds(10))).singleElement().satisfies(delivery -> {
            assertThat(delivery.hook()).isEqualTo(jobHook.id());
            assertThat(delivery.event().job()).isEqualTo(JobId.of(7));
        });
        HookRepository.Subscribers none = hooks.subscribers(Set.of(elsewhere));
        List<StatusEvent> ofThisProject = events(jobChange(9, JobStatus.PENDING));
        assertThatThrownBy(() -> none.enqueue(ofThisProject, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void aLeaseThatRunsOutLetsAnotherClaimerTakeTheDelivery() {
        hook(Set.of(HookTrigger.JOB_EVENTS));
        events(jobChange(1, JobStatus.CREATED));
        Delivery leased = hooks.claimDue(T0, 10, "dead", Duration.ofSeconds(10)).get(0);

        assertThat(hooks.claimDue(T0.plusSeconds(5), 10, "alive", Duration.ofSeconds(10))).isEmpty();
        List<Delivery> again = hooks.claimDue(T0.plusSeconds(11), 10, "alive", Duration.ofSeconds(10));
        assertThat(again).extracting(Delivery::id).containsExactly(leased.id());
        assertThat(hooks.markDelivered(leased.id(), "dead", T0.plusSeconds(12))).isFalse();
        assertThat(hooks.markDelivered(leased.id(), "alive", T0.plusSeconds(12))).isTrue();
        assertThat(hooks.claimDue(T0.plusSeconds(60), 10, "alive", Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    public void aRescheduledDeliveryWaitsAndKeepsItsBodyAndKey() {
        hook(Set.of(HookTrigger.JOB_EVENTS));
        events(jobChange(1, JobStatus.CREATED));
        Delivery leased = hooks.claimDue(T0, 10, "a", Duration.ofSeconds(10)).get(0);
        assertThat(hooks.reschedule(leased.id(), "a", T0.plusSeconds(30), 1, "{\"object_kind\":\"build\"}"))
                .isTrue();

        assertThat(hooks.claimDue(T0.plusSeconds(29), 10, "a", Duration.ofSeconds(10))).isEmpty();
        Delivery retried = hooks.claimDue(T0.plusSeconds(30), 10, "a", Duration.ofSeconds(10)).get(0);
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.requestBody()).isEqualTo("{\"object_kind\":\"build\"}");
        assertThat(retried.idempotencyKey()).isEqualTo(leased.idempotencyKey());
    }

    @Test
    public void deliveriesOfADisabledHookWaitUntilItIsExecutable() {
        ProjectHook hook = hook(Set.of(HookTrigger.JOB_EVENTS));
        events(jobChange(1, JobStatus.CREATED));
        Instant until = T0.plusSeconds(120);
        hooks.updateFailureState(hook.id(), 5, until);

        assertThat(hooks.claimDue(T0, 10, "a", Duration.ofSeconds(10))).isEmpty();
        assertThat(hooks.claimDue(until.plusSeconds(1), 10, "a", Duration.ofSeconds(10))).hasSize(1);

        hooks.updateFailureState(hook.id(), ProjectHook.PERMANENTLY_DISABLED_FAILURE_THRESHOLD + 1, null);
        assertThat(hooks.claimDue(T0.plusSeconds(3600), 10, "b", Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    public void releasingMakesWaitingDeliveriesDueNow() {
        ProjectHook hook = hook(Set.of(HookTrigger.JOB_EVENTS));
        events(jobChange(1, JobStatus.CREATED));
        Delivery leased = hooks.claimDue(T0, 10, "a", Duration.ofSeconds(10)).get(0);
        hooks.reschedule(leased.id(), "a", T0.plusSeconds(3600), 4, "{}");

        assertThat(hooks.releaseWaiting(hook.id(), T0.plusSeconds(5))).isEqualTo(1);
        assertThat(hooks.claimDue(T0.plusSeconds(5), 10, "a", Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    public void twoClaimersNeverLeaseTheSameDelivery() throws Exception {
        hook(Set.of(HookTrigger.JOB_EVENTS));
        for (int i = 1; i <= 40; i++) {
            events(jobChange(i, JobStatus.CREATED));
        }
        List<Long> claimed = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String owner = "claimer-" + c;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    List<Delivery> got;
                    do {
                        got = hooks.claimDue(T0, 3, owner, Duration.ofMinutes(5));
                        got.forEach(d -> claimed.add(d.id()));
                    } while (!got.isEmpty());
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    public void theLogReadsNewestFirstAndFiltersByStatus() {
        ProjectHook hook = hook(Set.of(HookTrigger.JOB_EVENTS));
        HookLog ok = hooks.log(log(hook, 200, T0));
        HookLog notFound = hooks.log(log(hook, 404, T0.plusSeconds(1)));
        HookLog failed = hooks.log(new HookLog(0, hook.id(), "job_hooks", hook.url(), Map.of("A", "1"), "{}",
                Map.of(), "", "internal error", null, 0.5, "Connection refused", T0.plusSeconds(2)));

        assertThat(hooks.logs(hook.id(), StatusFilter.ALL, 0, 10)).containsExactly(failed, notFound, ok);
        assertThat(hooks.countLogs(hook.id(), StatusFilter.ALL)).isEqualTo(3);
        StatusFilter clientFailures = new StatusFilter(Set.of(), Set.of(new StatusFilter.Range(400, 499)));
        assertThat(hooks.logs(hook.id(), clientFailures, 0, 10)).containsExactly(notFound);
        assertThat(hooks.logs(hook.id(), new StatusFilter(Set.of(200), Set.of()), 0, 10)).containsExactly(ok);
        assertThat(hooks.logs(hook.id(), StatusFilter.ALL, 1, 1)).containsExactly(notFound);
        assertThat(hooks.logsBefore(hook.id(), StatusFilter.ALL, null, 2)).containsExactly(failed, notFound);
        assertThat(hooks.logsBefore(hook.id(), StatusFilter.ALL, notFound.id(), 2)).containsExactly(ok);
        StatusFilter answered = new StatusFilter(Set.of(), Set.of(new StatusFilter.Range(200, 499)));
        assertThat(hooks.logsBefore(hook.id(), answered, failed.id(), 1)).containsExactly(notFound);
        assertThat(hooks.logsBefore(hook.id(), answered, notFound.id(), 5)).containsExactly(ok);
        assertThat(hooks.logsBefore(hook.id(), answered, ok.id(), 5)).isEmpty();
        assertThat(ok.requestHeaders()).containsEntry("X-Gitlab-Event", "Job Hook");

        assertThat(hooks.pruneLogs(T0.plusMillis(1500), 10)).isEqualTo(2);
        assertThat(hooks.logs(hook.id(), StatusFilter.ALL, 0, 10)).containsExactly(failed);
    }

    private static HookLog log(ProjectHook hook, int status, Instant at) {
        return new HookLog(0, hook.id(), "job_hooks", hook.url(),
                Map.of("Content-Type", "application/json", "X-Gitlab-Event", "Job Hook"), "{\"a\":1}",
                Map.of("Content-Type", "text/plain"), "body " + status, Integer.toString(status), status, 0.25, null,
                at);
    }

    @Test
    public void instanceSettingsDefaultToNoLocalRequestsAndKeepWhatIsStored() {
        assertThat(stores.settings().get()).isEqualTo(ApplicationSettings.DEFAULTS);
        stores.settings().put(new ApplicationSettings(true));
        assertThat(stores.settings().get().allowLocalRequestsFromWebHooksAndServices()).isTrue();
        stores.settings().put(ApplicationSettings.DEFAULTS);
        assertThat(stores.settings().get()).isEqualTo(ApplicationSettings.DEFAULTS);
    }
}
