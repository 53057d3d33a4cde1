package io.jobyard.bootstrap.hooks;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.application.port.in.event.JobHookPayload;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardEvent;
import io.jobyard.bootstrap.JobyardEvents;
import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The in-process listener API exactly as the README's embedding section shows it, and what a slow listener gets. */
class EventListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aHostHearsCommittedJobEventsAsTheReadmeShows() throws Exception {
        try (HookWorld world = new HookWorld(dir)) {
            Jobyard jobyard = world.jobyard;
            List<String> finished = new CopyOnWriteArrayList<>();
            List<JobyardEvent> all = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();

            // README, "Embedding": hear job status changes after they commit
            JobyardEvents.Subscription subscription = jobyard.events().subscribe(event -> {
                all.add(event);
                threads.add(Thread.currentThread().getName());
                if (event.isJob() && event.event().status() == JobStatus.SUCCESS) {
                    JobHookPayload job = (JobHookPayload) event.payload();
                    finished.add(job.job().name() + " " + event.json().length());
                }
            });

            long project = world.project("listened");
            String runner = world.runner();
            world.pipeline(project, "build: {script: [make]}");
            world.finish(world.take(runner), "success");

            await().atMost(WAIT).until(() -> !finished.isEmpty());
            assertThat(finished.get(0)).startsWith("build ");
            JobyardEvent success = all.stream().filter(e -> e.isJob() && e.event().status() == JobStatus.SUCCESS)
                    .findFirst().orElseThrow();
            assertThat(success.json()).startsWith("{\"object_kind\":\"build\"").contains("\"build_status\":\"success\"");
            assertThat(all).extracting(e -> e.event().seq()).as("in the project's order").isSorted();
            assertThat(threads).as("off the request threads").containsOnly("jobyard-event-listener");
            subscription.close();
            assertThat(subscription.active()).isFalse();
        }
    }

    @Test
    void aSlowListenerIsDisconnectedWithoutStallingJobyardOrOthers() throws Exception {
        try (HookWorld world = new HookWorld(dir)) {
            CountDownLatch stuck = new CountDownLatch(1);
            JobyardEvents.Subscription slow = world.jobyard.events().subscribe(event -> {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 2, JobyardEvents.Overflow.DISCONNECT);
            List<JobyardEvent> heard = new CopyOnWriteArrayList<>();
            world.jobyard.events().subscribe(heard::add);
            JobyardEvents.Subscription dropping = world.jobyard.events().subscribe(event -> {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 1, JobyardEvents.Overflow.DROP);

            long project = world.project("slow");
            for (int i = 0; i < 5; i++) {
                world.pipeline(project, "a: {script: [x]}\nb: {script: [y]}\n");
            }

            await().atMost(WAIT).until(() -> heard.size() >= 20);
            assertThat(slow.active()).isFalse();
            assertThat(slow.closedReason()).contains("the listener fell 2 events behind");
            assertThat(dropping.active()).isTrue();
            assertThat(dropping.dropped()).isPositive();
            stuck.countDown();
        }
    }

    @Test
    void anInstanceHearsTheEventsOfAnotherSharingTheDatabase() throws Exception {
        try (HookWorld world = new HookWorld(dir)) {
            HikariDataSource pool = DataSources.create(DataSources.Settings.of(
                    DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 4));
            try (Jobyard other = Jobyard.builder().ownedDataSource(pool, pool)
                    .filesystemStorage(dir.resolve("storage")).externalUrl(URI.create("http://jobyard.test"))
                    .eventPollInterval(Duration.ofMillis(100)).build()) {
                List<JobyardEvent> heard = new CopyOnWriteArrayList<>();
                other.events().subscribe(heard::add);

                long project = world.project("shared");
                world.pipeline(project, "build: {script: [make]}");

                await().atMost(WAIT).until(() -> heard.stream().anyMatch(e -> e.isJob()
                        && e.event().status() == JobStatus.PENDING));
            }
        }
    }
}
