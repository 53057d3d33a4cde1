package io.jobyard.adapter.http;

import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.adapter.http.MalformedRequests.Request;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated bad requests ({@link MalformedRequests}) sent raw over sockets to a running server. None may
 * be a 5xx, every refusal must be a JSON object with GitLab's {@code message} or {@code error} key, and no job may
 * change: writes are only ever attempted with credentials that may not write.
 */
class MalformedRequestFuzzTest {
    private static final int REQUESTS = 3000;
    private static final AtomicInteger REFUSED_BY_SERVER = new AtomicInteger();

    @Test
    void noBadRequestIsAServerErrorOrChangesAnything() throws Exception {
        try (ApiWorld world = new ApiWorld()) {
            Map<Long, String> before = snapshot(world);
            MalformedRequests.Target target = new MalformedRequests.Target(
                    List.of(project(world.privateProject), project(world.publicProject)), Function.identity());
            Random random = new Random(20240501L);
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(MalformedRequests.generate(random, target, ApiWorld.PREFIX));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Optional<String>>> outcomes = new ArrayList<>();
                for (Request request : requests) {
                    outcomes.add(pool.submit(() -> check(world, request)));
                }
                List<String> problems = new ArrayList<>();
                for (Future<Optional<String>> outcome : outcomes) {
                    outcome.get().ifPresent(problems::add);
                }
                assertThat(problems).as("requests answered wrongly").isEmpty();
                assertThat(REFUSED_BY_SERVER.get()).as("requests Undertow refused before the API saw them")
                        .isLessThan(REQUESTS / 5);
            } finally {
                pool.shutdownNow();
            }
            assertThat(snapshot(world)).as("jobs after the fuzzing").isEqualTo(before);
        }
    }

    /** The in-memory world's tokens are their own names ({@code pat-dev}...), so the token map is the identity. */
    private static MalformedRequests.ProjectTarget project(ApiWorld.ProjectJobs jobs) {
        return new MalformedRequests.ProjectTarget(jobs.project().id().value(), jobs.main().id().value(),
                Stream.of(jobs.build(), jobs.test(), jobs.deploy(), jobs.running()).map(job -> job.id().value())
                        .toList(), jobs.jobToken());
    }

    private static Optional<String> check(ApiWorld world, Request request) {
        Response response = RawHttp.send(world.port, request.method(), request.target(), request.headers(),
                request.body());
        if (MalformedRequests.refusedByServer(request, response)) {
            REFUSED_BY_SERVER.incrementAndGet();
        }
        return MalformedRequests.problem(request, response);
    }

    /** What an accepted write would change: status, erase and expiry of every job, and the artifact count. */
    private static Map<Long, String> snapshot(ApiWorld world) {
        Map<Long, String> state = new LinkedHashMap<>();
        for (long id = 1; id <= 20; id++) {
            world.repos.jobs().findById(io.jobyard.domain.job.JobId.of(id)).ifPresent(job -> state.put(
                    job.id().value(), job.status() + " " + job.erasedAt() + " " + job.artifactsExpireAt() + " "
                            + job.lockVersion() + " " + job.spec().variables() + " "
                            + world.repos.artifacts().findByJob(job.id()).size()));
        }
        return state;
    }
}
