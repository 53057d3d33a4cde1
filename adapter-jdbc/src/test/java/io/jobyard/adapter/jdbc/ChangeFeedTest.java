package io.jobyard.adapter.jdbc;

import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.job.ListJobsUseCase;
import io.jobyard.application.port.in.job.ListJobsUseCase.ProjectJobsQuery;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.application.service.MutableClock;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.user.User;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change feed ({@code order_by=updated_at&sort=asc} with keyset pages) on real databases, where a change becomes
 * visible only when its transaction commits: a reader that keeps its position sees every job's changes in order and
 * none twice, also while writers commit late and out of order. The first test shows why the feed waits: without the
 * delay, a change committed after a reader passed its time is lost to that reader.
 */
class ChangeFeedTest {
    private static final JobOrdering FEED = new JobOrdering(JobOrder.UPDATED_AT, true);

    @Test
    void onH2ALateCommitIsSeenOnlyWithTheDelay() throws Exception {
        lateCommit(TestStores.emptied(TestStores.h2()));
    }

    @Test
    void onPostgresALateCommitIsSeenOnlyWithTheDelay() throws Exception {
        lateCommit(TestStores.emptied(TestStores.postgres()));
    }

    @Test
    void onH2ConcurrentWritersAreFollowedExactlyOnce() throws Exception {
        concurrentWriters(TestStores.emptied(TestStores.h2()));
    }

    @Test
    void onPostgresConcurrentWritersAreFollowedExactlyOnce() throws Exception {
        concurrentWriters(TestStores.emptied(TestStores.postgres()));
    }

    private record World(Repositories repos, TestData data, Project project, Pipeline pipeline, User admin) {
        static World of(JdbcPersistence persistence) {
            Repositories repos = TestStores.repositories(persistence);
            TestData data = new TestData(repos);
            Project project = data.project("feed-" + TestData.unique());
            return new World(repos, data, project, data.pipeline(project, "main"),
                    data.admin("feed-admin" + TestData.unique()));
        }

        /** The job lists of the services over this database's repositories, the feed held back by {@code delay}. */
        ListJobsUseCase feed(Clock clock, Duration delay) {
            InMemoryPorts ports = new InMemoryPorts(clock);
            ports.projects = repos.projects();
            ports.users = repos.users();
            ports.pipelines = repos.pipelines();
            ports.jobs = repos.jobs();
            ports.artifacts = repos.artifacts();
            ports.runners = repos.runners();
            ports.transactorPort = repos.transactor();
            return ports.wire(Services.Settings.defaults(URI.create("http://localhost"))
                    .withChangeFeedDelay(delay)).listJobs();
        }

        /** One keyset page of the feed after {@code after}. */
        List<Job> page(ListJobsUseCase service, SortKey after, int perPage) {
            JobPage page = service.listProjectJobs(Actor.UserActor.withFullAccess(admin),
                    new ProjectJobsQuery(ProjectRef.of(project.id()), JobFilter.ALL, null, FEED,
                            new Pagination.Keyset(after, perPage)));
            return page.jobs().stream().map(JobView::job).toList();
        }
    }

    private static SortKey position(Job job) {
        return new SortKey(FEED.keyOf(job), job.id().value());
    }

    /**
     * A writer stamps a change at T and commits only after another job was changed at T + 1 s and committed. A reader
     * without the delay reads in between and moves past T; a reader with it does not get past T before the commit.
     */
    private static void lateCommit(JdbcPersistence persistence) throws Exception {
        World world = World.of(persistence);
        Instant t = Instant.parse("2025-01-01T12:00:00Z");
        Job slow = world.data().insert(world.data().jobBuilder(world.pipeline(), "slow").updatedAt(t.minusSeconds(60)));
        Job quick = world.data().insert(world.data().jobBuilder(world.pipeline(), "quick")
                .updatedAt(t.minusSeconds(50)));
        MutableClock clock = new MutableClock(t);
        ListJobsUseCase withoutDelay = world.feed(clock, Duration.ZERO);
        ListJobsUseCase withDelay = world.feed(clock, Duration.ofSeconds(5));
        SortKey start = position(quick);

        CountDownLatch stamped = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> slowChange = writer.submit(() -> world.repos().transactor().run(() -> {
                world.repos().jobs().update(world.repos().jobs().findById(slow.id()).orElseThrow().toBuilder()
                        .updatedAt(t).build());
                stamped.countDown();
                await(commit);
            }));
            assertThat(stamped.await(30, TimeUnit.SECONDS)).isTrue();
            world.repos().jobs().update(world.repos().jobs().findById(quick.id()).orElseThrow().toBuilder()
                    .updatedAt(t.plusSeconds(1)).build());
            clock.set(t.plusSeconds(2));

            List<Job> undelayed = world.page(withoutDelay, start, 10);
            List<Job> delayed = world.page(withDelay, start, 10);
            assertThat(undelayed).extracting(Job::id).containsExactly(quick.id());
            assertThat(delayed).isEmpty();

            commit.countDown();
            slowChange.get(30, TimeUnit.SECONDS);
            clock.set(t.plusSeconds(10));
            assertThat(world.page(withoutDelay, position(undelayed.get(0)), 10))
                    .as("the reader without the delay has passed the slow change for good").isEmpty();
            assertThat(world.page(withDelay, start, 10)).extracting(Job::id).containsExactly(slow.id(), quick.id());
        } finally {
            commit.countDown();
            writer.shutdownNow();
        }
    }

    /**
     * Four writers change random jobs for two seconds, each holding its transaction open for up to 40 ms after
     * stamping the change, while a reader follows the feed page by page. The reader sees each job's changes in
     * increasing order and none twice; once the delay has passed after the writers stopped, it has reached every job
     * as stored. (The delay, 3 s, stands for a transaction's longest time from stamp to commit, which the writers
     * keep far below even on a loaded machine.)
     */
    private static void concurrentWriters(JdbcPersistence persistence) throws Exception {
        World world = World.of(persistence);
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(world.data().insert(world.data().jobBuilder(world.pipeline(), "job " + i)
                    .updatedAt(Instant.now().minusSeconds(600))).id());
        }
        Duration delay = Duration.ofSeconds(3);
        ListJobsUseCase feed = world.feed(Clock.systemUTC(), delay);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> changes = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            changes.add(writers.submit(() -> {
                int made = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (writing.get()) {
                    JobId id = ids.get(random.nextInt(ids.size()));
                    try {
                        world.repos().transactor().run(() -> {
                            Job job = world.repos().jobs().findById(id).orElseThrow();
                            world.repos().jobs().update(job.toBuilder().updatedAt(Instant.now()).build());
                            sleep(random.nextInt(40));
                        });
                        made++;
                    } catch (StaleObjectException anotherWriterWon) {
                        // a lost race is no change
                    }
                }
                return made;
            }));
        }

        Map<JobId, List<Instant>> seen = new HashMap<>();
        SortKey position = null;
        long readUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < readUntil) {
            position = follow(world, feed, position, seen);
        }
        writing.set(false);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        int made = 0;
        for (Future<Integer> writer : changes) {
            made += writer.get();
        }
        assertThat(made).as("the writers changed jobs").isGreaterThan(10);

        Map<JobId, Instant> stored = new HashMap<>();
        ids.forEach(id -> stored.put(id, world.repos().jobs().findById(id).orElseThrow().updatedAt()));
        AtomicReference<SortKey> at = new AtomicReference<>(position);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            at.set(follow(world, feed, at.get(), seen));
            for (JobId id : ids) {
                if (stored.get(id).isAfter(Instant.now().minusSeconds(300))) {
                    assertThat(seen.get(id)).as("job %s reached as stored", id).isNotNull().last()
                            .isEqualTo(stored.get(id));
                }
            }
        });
        for (JobId id : ids) {
            assertThat(seen.getOrDefault(id, List.of())).as("changes of job %s", id).isSorted()
                    .doesNotHaveDuplicates();
        }
    }

    /** Reads the feed from {@code position} to its current end; returns the new position. */
    private static SortKey follow(World world, ListJobsUseCase feed, SortKey position, Map<JobId, List<Instant>> seen) {
        while (true) {
            List<Job> page = world.page(feed, position, 7);
            for (Job job : page) {
                seen.computeIfAbsent(job.id(), id -> new ArrayList<>()).add(job.updatedAt());
                position = position(job);
            }
            if (page.size() < 7) {
                return position;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
