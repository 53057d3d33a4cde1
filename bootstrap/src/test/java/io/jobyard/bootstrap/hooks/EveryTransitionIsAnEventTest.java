package io.jobyard.bootstrap.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.adapter.jdbc.JdbcPersistence;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.domain.event.StatusEvent;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No path that changes a status misses its event: the whole system (HTTP API, runner protocol, sweeps) is driven
 * through every kind of job and pipeline transition, and after each step the events committed are exactly the status
 * changes the step made, read from the database: per job and pipeline a chain of events from its status before to its
 * status after, none for anything that did not change.
 */
class EveryTransitionIsAnEventTest {
    private static final String CONFIG = String.join("\n",
            "stages: [build, test, deploy]",
            "build: {stage: build, script: [make]}",
            "lint: {stage: test, script: [lint], allow_failure: true}",
            "unit: {stage: test, script: [test]}",
            "deploy: {stage: deploy, script: [ship], when: manual}",
            "later: {stage: deploy, script: [x], when: delayed, start_in: 1 second}", "");

    @TempDir
    Path dir;

    @Test
    void everyStatusChangeCommitsExactlyItsEvents() throws Exception {
        Set<JobStatus> entered = EnumSet.noneOf(JobStatus.class);
        try (HookWorld world = new HookWorld(dir)) {
            HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                    DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 2));
            try (pool) {
                JdbcPersistence reading = JdbcPersistence.migrateAndOpen(pool);
                long projectId = world.project("transitions");
                ProjectId project = ProjectId.of(projectId);
                String runner = world.runner();
                Ledger ledger = new Ledger(reading, project, entered);

                JsonNode pipeline = ledger.step("create a pipeline", () -> world.pipeline(projectId, CONFIG));
                long pipelineId = pipeline.get("id").asLong();
                ledger.step("build runs and succeeds", () -> world.finish(world.take(runner), "success"));
                ledger.step("a test job fails", () -> world.finish(world.take(runner), "failed"));
                ledger.step("the other test job succeeds", () -> world.finish(world.take(runner), "success"));
                long deploy = ledger.jobNamed("deploy");
                ledger.step("the manual job is played", () -> world.expect("POST", "/projects/" + projectId
                        + "/jobs/" + deploy + "/play", null, 200));
                ledger.step("it is taken", () -> world.take(runner));
                ledger.step("it is canceled while running", () -> world.expect("POST", "/projects/" + projectId
                        + "/jobs/" + deploy + "/cancel", null, 201));
                long lint = ledger.jobNamed("lint");
                ledger.step("a failed job is retried", () -> world.expect("POST", "/projects/" + projectId
                        + "/jobs/" + lint + "/retry", null, 201));
                Instant due = reading.jobs().findById(JobId.of(ledger.jobNamed("later"))).orElseThrow().scheduledAt();
                assertThat(due).as("the delayed job is scheduled").isNotNull();
                await("the delayed job's time").atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(due));
                ledger.step("the delayed job's time comes", world.jobyard::sweepOnce);
                ledger.step("the pipeline is canceled", () -> world.expect("POST", "/projects/" + projectId
                        + "/pipelines/" + pipelineId + "/cancel", null, 200));
                ledger.step("the pipeline is retried", () -> world.expect("POST", "/projects/" + projectId
                        + "/pipelines/" + pipelineId + "/retry", null, 201));
                ledger.step("a runner takes a retried job and finishes it", () -> world.finish(world.take(runner),
                        "success"));
                ledger.step("the pipeline is canceled again", () -> world.expect("POST", "/projects/" + projectId
                        + "/pipelines/" + pipelineId + "/cancel", null, 200));
                ledger.step("another pipeline", () -> world.pipeline(projectId,
                        "stages: [one, two]\na: {stage: one, script: [x]}\nb: {stage: two, script: [y]}\n"));
                ledger.step("its first job fails, the next is skipped", () -> world.finish(world.take(runner),
                        "failed"));
                assertThat(ledger.events).as("events were written").isGreaterThan(20);
            }
        }
        assertThat(entered).as("the statuses entered along the way").contains(JobStatus.CREATED, JobStatus.PENDING,
                JobStatus.RUNNING, JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.MANUAL,
                JobStatus.SCHEDULED, JobStatus.SKIPPED);
    }

    /** The statuses before and after each step, and the events the step committed. */
    private static final class Ledger {
        private final JdbcPersistence db;
        private final ProjectId project;
        private final Set<JobStatus> entered;
        private long lastId;
        int events;

        Ledger(JdbcPersistence db, ProjectId project, Set<JobStatus> entered) {
            this.db = db;
            this.project = project;
            this.entered = entered;
            this.lastId = db.events().lastId();
        }

        interface Step<T> {
            T run() throws Exception;
        }

        <T> T step(String what, Step<T> step) throws Exception {
            Map<String, JobStatus> before = snapshot();
            T result = step.run();
            Map<String, JobStatus> after = snapshot();
            // Committed before the step answered; the wait covers nothing but the last statement's visibility.
            List<StatusEvent> committed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                committed.clear();
                committed.addAll(db.events().after(lastId, 10_000));
                return chainsMatch(before, after, committed) == null;
            });
            assertThat(chainsMatch(before, after, committed)).as(what).isNull();
            committed.forEach(e -> entered.add(e.status()));
            events += committed.size();
            lastId = committed.isEmpty() ? lastId : committed.get(committed.size() - 1).id();
            return result;
        }

        void step(String what, Runnable step) throws Exception {
            step(what, () -> {
                step.run();
                return null;
            });
        }

        long jobNamed(String name) {
            return db.jobs().listForProject(project, Set.of(), 0, 1000).stream()
                    .filter(job -> job.name().equals(name) && !job.retried()).findFirst().orElseThrow().id().value();
        }

        private Map<String, JobStatus> snapshot() {
            Map<String, JobStatus> statuses = new HashMap<>();
            for (Job job : db.jobs().listForProject(project, Set.of(), 0, 1000)) {
                statuses.put("job:" + job.id().value(), job.status());
            }
            for (Pipeline pipeline : db.pipelines().list(project, PipelineRepository.PipelineFilter.ALL, 0, 100)) {
                statuses.put("pipeline:" + pipeline.id().value(), pipeline.status());
            }
            return statuses;
        }

        /** Null when the events are exactly the chains from {@code before} to {@code after}, else what is wrong. */
        private static String chainsMatch(Map<String, JobStatus> before, Map<String, JobStatus> after,
                                          List<StatusEvent> events) {
            Map<String, List<StatusEvent>> byKey = new LinkedHashMap<>();
            for (StatusEvent event : events) {
                String key = event.job() != null ? "job:" + event.job().value()
                        : "pipeline:" + event.pipeline().value();
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
            }
            for (String key : after.keySet()) {
                JobStatus from = before.get(key);
                JobStatus to = after.get(key);
                List<StatusEvent> chain = byKey.getOrDefault(key, List.of());
                if (chain.isEmpty()) {
                    if (!Objects.equals(from, to)) {
                        return key + " went " + from + " -> " + to + " without an event";
                    }
                    continue;
                }
                JobStatus at = from;
                for (StatusEvent event : chain) {
                    if (event.previous() != at || event.status() == event.previous()) {
                        return key + ": event " + event.previous() + " -> " + event.status() + " does not follow "
                                + at + " (" + chain.size() + " events)";
                    }
                    at = event.status();
                }
                if (at != to) {
                    return key + ": events end at " + at + " but the status is " + to;
                }
            }
            for (String key : byKey.keySet()) {
                if (!after.containsKey(key)) {
                    return "an event for " + key + ", which is not in the project";
                }
            }
            return null;
        }
    }
}
