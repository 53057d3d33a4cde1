package io.jobyard.adapter.jdbc;

import io.jobyard.application.service.event.EventOutbox;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every transition of a project waits for the project's event counter, whose row lock a transaction holds from
 * numbering its events until its commit: in the runners' fleet bench the wait was 22–34 ms per call. So a transition
 * writes and reads what it can before it (the archive queue entry of an ended log, the hooks to deliver to), and under
 * the lock runs only the counter's raise (answering the new number itself), the events' insert (each drawing its id)
 * and the deliveries' insert.
 */
class EventCounterLockTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path h2Directory;

    @Test
    void onH2() {
        assertTheLockIsHeldForWritesOnly(JdbcPersistence.migrateAndOpen(TestStores.h2DataSource(h2Directory)));
    }

    @Test
    void onPostgres() {
        assertTheLockIsHeldForWritesOnly(JdbcPersistence.migrateAndOpen(TestStores.newPostgresDatabase(2)));
    }

    private static void assertTheLockIsHeldForWritesOnly(JdbcPersistence persistence) {
        Project project = persistence.projects().insert(new Project(persistence.projects().nextId(), "Locked",
                "locked", "group", Visibility.PRIVATE, false, false, T0));
        Pipeline pipeline = persistence.pipelines().insert(new Pipeline(persistence.pipelines().nextId(),
                persistence.pipelines().nextIid(project.id()), project.id(), "main", false,
                Commit.ofSha("a".repeat(40), OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0, ZoneOffset.UTC)),
                PipelineSource.PUSH, JobStatus.RUNNING, List.of("test"), List.of(), null, T0, T0, null, null, 0));
        Job running = persistence.jobs().insert(Job.builder().id(persistence.jobs().nextId())
                .projectId(project.id()).pipelineId(pipeline.id()).spec(JobSpec.simple("build", "test", 0))
                .status(JobStatus.RUNNING).ref("main").createdAt(T0).updatedAt(T0).build());
        persistence.hooks().insert(new ProjectHook(persistence.hooks().nextId(), project.id(),
                "https://example.com/hook", null, "hook", null, Set.of(HookTrigger.JOB_EVENTS), true, null,
                "wildcard", 0, null, T0));
        EventOutbox outbox = new EventOutbox(persistence.jobs(), persistence.pipelines(), persistence.transactor(),
                persistence.events(), persistence.hooks(), persistence.traceArchiveQueue(),
                Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), null, null);
        // the project's counter exists once its first event is numbered
        persistence.events().append(List.of(StatusEvent.Change.ofPipeline(project.id(), pipeline.id(),
                JobStatus.PENDING, JobStatus.RUNNING)), T0);
        StatementCounter statements = new StatementCounter();
        persistence.withSqlLogger(statements);

        outbox.transactor().inTransaction(() -> outbox.jobs().update(
                outbox.jobs().findById(running.id()).orElseThrow().succeed(T0.plusSeconds(60))));

        List<String> all = statements.statements().stream().map(sql -> sql.toLowerCase(Locale.ROOT)).toList();
        int counter = indexOf(all, "project_event_sequences");
        assertThat(counter).as("the counter is raised: %s", all).isNotNegative();
        assertThat(all.subList(counter + 1, all.size())).as("under the counter's lock, of %s", all)
                .satisfiesExactly(
                        events -> assertThat(events).startsWith("insert into project_events"),
                        deliveries -> assertThat(deliveries).startsWith("insert into hook_deliveries"));
        assertThat(all.subList(0, counter)).as("before the counter's lock")
                .anySatisfy(sql -> assertThat(sql).contains("trace_archive_queue"))
                .anySatisfy(sql -> assertThat(sql).contains("from project_hooks"));

        assertThat(persistence.traceArchiveQueue().claimDue(T0.plusSeconds(61), 10, "test", Duration.ofMinutes(1)))
                .extracting(entry -> entry.job()).containsExactly(running.id());
        assertThat(persistence.hooks().claimDue(T0.plusSeconds(61), 10, "test", Duration.ofMinutes(1)))
                .singleElement().satisfies(delivery -> {
                    assertThat(delivery.event().job()).isEqualTo(running.id());
                    assertThat(delivery.event().status()).isEqualTo(JobStatus.SUCCESS);
                    assertThat(delivery.event().seq()).isEqualTo(2);
                });
        assertThat(persistence.events().projectEventsAfter(project.id(), 1, 10)).singleElement()
                .satisfies(event -> assertThat(event.previous()).isEqualTo(JobStatus.RUNNING));
    }

    private static int indexOf(List<String> statements, String table) {
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).contains(table)) {
                return i;
            }
        }
        return -1;
    }
}
