package io.jobyard.adapter.http;

import io.jobyard.adapter.http.ApiWorld.ProjectJobs;
import io.jobyard.adapter.http.ApiWorld.Response;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.runner.Runner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.jobyard.adapter.http.JobsApiHttpTest.assertError;
import static io.jobyard.adapter.http.JobsApiHttpTest.link;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobyard's filters and orders of the job lists and their keyset pages, through HTTP (issue 17). The world's private
 * project gets ten more jobs here: rspec slices on two runners, with tags, times a minute apart and one failure reason.
 */
class JobFiltersHttpTest {
    private final ApiWorld world = new ApiWorld();
    private final ProjectJobs app = world.privateProject;
    private final String dev = "pat-dev";
    private final String jobs = "/projects/" + app.project().id() + "/jobs";
    private final Runner gpu = world.data.runner("gpu", true);
    private final List<Job> slices = new ArrayList<>();

    JobFiltersHttpTest() {
        Instant start = ApiWorld.NOW.minusSeconds(3_600);
        for (int i = 0; i < 10; i++) {
            JobStatus status = i % 3 == 0 ? JobStatus.FAILED : JobStatus.SUCCESS;
            JobSpec spec = new JobSpec("rspec " + i + "/10", "test", 1, WhenCondition.ON_SUCCESS, null, false, false,
                    List.of(), i % 2 == 0 ? List.of("gpu", "linux") : List.of("linux"), List.of(), null,
                    RetryPolicy.NONE, false, JobExecution.NONE);
            Instant created = start.plusSeconds(60L * i);
            slices.add(world.data.insert(world.data.jobBuilder(app.main(), "rspec").spec(spec).status(status)
                    .userId(i < 5 ? world.maintainer.id() : world.developer.id())
                    .runnerId(i % 2 == 0 ? gpu.id() : null)
                    .failureReason(status == JobStatus.FAILED ? FailureReason.SCRIPT_FAILURE : null)
                    .createdAt(created).startedAt(created.plusSeconds(1))
                    // durations 100, 90, ... 10 s: the newest slice is the quickest
                    .finishedAt(created.plusSeconds(1 + 100 - 10L * i))
                    .updatedAt(created.plusSeconds(1 + 100 - 10L * i))));
        }
        world.data.artifact(slices.get(4), ArtifactFileType.JUNIT);
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private List<Long> ids(String query) {
        Response response = world.get(jobs + query, dev);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        response.json().forEach(job -> ids.add(job.get("id").asLong()));
        return ids;
    }

    private static List<Long> newestFirst(Stream<Job> jobs) {
        return jobs.map(j -> j.id().value()).sorted(Comparator.reverseOrder()).toList();
    }

    private List<Long> slices(java.util.function.IntPredicate which) {
        return newestFirst(java.util.stream.IntStream.range(0, 10).filter(which).mapToObj(slices::get));
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void eachFilterNarrowsTheListAndCombinesWithScope() {
        assertThat(ids("?name=" + encoded("rspec 3/10"))).containsExactly(slices.get(3).id().value());
        assertThat(ids("?name=" + encoded("rspec *") + "&per_page=100")).isEqualTo(slices(i -> true));
        assertThat(ids("?name=" + encoded("*/10") + "&scope[]=failed")).isEqualTo(slices(i -> i % 3 == 0));
        assertThat(ids("?stage=deploy")).containsExactly(app.deploy().id().value());
        assertThat(ids("?ref=" + encoded("feature/login"))).containsExactly(app.featureBuild().id().value());
        assertThat(ids("?sha=" + app.feature().sha())).containsExactly(app.featureBuild().id().value());
        assertThat(ids("?pipeline_id=" + app.feature().id())).containsExactly(app.featureBuild().id().value());
        assertThat(ids("?username=max")).isEqualTo(slices(i -> i < 5));
        assertThat(ids("?user_id=" + world.maintainer.id())).isEqualTo(slices(i -> i < 5));
        assertThat(ids("?username=MAX")).as("usernames are case-insensitive").isEqualTo(slices(i -> i < 5));
        assertThat(ids("?runner_id=" + gpu.id())).isEqualTo(slices(i -> i % 2 == 0));
        assertThat(ids("?failure_reason=script_failure&per_page=100")).contains(slices.get(0).id().value())
                .contains(app.test().id().value()).hasSize(5);
        assertThat(ids("?source=push&per_page=100")).hasSize(15);
        assertThat(ids("?source=schedule")).isEmpty();
        assertThat(ids("?tag=gpu")).isEqualTo(slices(i -> i % 2 == 0));
        assertThat(ids("?with_artifacts=true")).containsExactlyInAnyOrder(app.build().id().value(),
                app.featureBuild().id().value(), slices.get(4).id().value());
        assertThat(ids("?artifact_type=junit")).containsExactly(slices.get(4).id().value());
        assertThat(ids("?name=rspec*&created_after=" + encoded(ApiWorld.NOW.minusSeconds(3_600 - 8 * 60).toString())))
                .isEqualTo(slices(i -> i >= 8));
        assertThat(ids("?created_before=" + encoded(ApiWorld.NOW.minusSeconds(3_600 - 60).toString())))
                .isEqualTo(slices(i -> i <= 1));
        // slice i finished at NOW - 3600 + 50 i + 101
        assertThat(ids("?finished_after=" + encoded(ApiWorld.NOW.minusSeconds(3_600 - 351).toString())
                + "&finished_before=" + encoded(ApiWorld.NOW.minusSeconds(3_600 - 451).toString())))
                .isEqualTo(slices(i -> i >= 5 && i <= 7));
        assertThat(ids("?username=max&tag=gpu&scope=failed")).isEqualTo(slices(i -> i < 5 && i % 2 == 0
                && i % 3 == 0));
    }

    @Test
    void anUnknownUsernameOrAnIdNoRecordHasMatchesNothing() {
        assertThat(ids("?username=nobody")).isEmpty();
        assertThat(ids("?username=max&user_id=" + world.developer.id())).isEmpty();
        assertThat(ids("?runner_id=0")).isEmpty();
        assertThat(ids("?user_id=99999999999999999999")).isEmpty();
    }

    @Test
    void badValuesAreGitLabs400NamingTheParameter() {
        assertError(world.get(jobs + "?created_after=yesterday", dev), 400, "error", "created_after is invalid");
        assertError(world.get(jobs + "?finished_before=2024-13-01", dev), 400, "error", "finished_before is invalid");
        assertError(world.get(jobs + "?updated_after=x", dev), 400, "error", "updated_after is invalid");
        assertError(world.get(jobs + "?pipeline_id=abc", dev), 400, "error", "pipeline_id is invalid");
        assertError(world.get(jobs + "?user_id=1.5", dev), 400, "error", "user_id is invalid");
        assertError(world.get(jobs + "?runner_id=x", dev), 400, "error", "runner_id is invalid");
        assertError(world.get(jobs + "?with_artifacts=maybe", dev), 400, "error", "with_artifacts is invalid");
        assertError(world.get(jobs + "?failure_reason=bad_luck", dev), 400, "error",
                "failure_reason does not have a valid value");
        assertError(world.get(jobs + "?source=carrier_pigeon", dev), 400, "error",
                "source does not have a valid value");
        assertError(world.get(jobs + "?artifact_type=zip", dev), 400, "error",
                "artifact_type does not have a valid value");
        assertError(world.get(jobs + "?order_by=name", dev), 400, "error", "order_by does not have a valid value");
        assertError(world.get(jobs + "?sort=random", dev), 400, "error", "sort does not have a valid value");
        assertError(world.get(jobs + "?tag=" + "t".repeat(1025), dev), 400, "error",
                "tag is expected to have length less than or equal to 1024");
        assertError(world.get(jobs + "?name[]=x", dev), 400, "error", "name is invalid");
        // parameters are checked before the project, as Grape does
        assertError(world.get("/projects/99999/jobs?sort=random", dev), 400, "error",
                "sort does not have a valid value");
    }

    @Test
    void ordersSortBothWaysAndBreakTiesById() {
        String quickestFirst = "?name=" + encoded("rspec*") + "&order_by=duration&sort=asc";
        assertThat(ids(quickestFirst)).isEqualTo(slices(i -> true));
        String oldestFinishFirst = "?name=" + encoded("rspec*") + "&order_by=finished_at&sort=asc";
        List<Long> byFinish = ids(oldestFinishFirst);
        assertThat(byFinish).hasSize(10);
        assertThat(ids("?name=" + encoded("rspec*") + "&order_by=finished_at&sort=desc"))
                .containsExactlyElementsOf(reversed(byFinish));
        assertThat(ids("?name=" + encoded("rspec*") + "&order_by=created_at&sort=asc"))
                .containsExactlyElementsOf(reversed(slices(i -> true)));
        // build, test and the feature build were created at the same instant: ties go by id, in the same direction
        String sameInstant = "&created_after=" + encoded(ApiWorld.NOW.minusSeconds(600).toString())
                + "&created_before=" + encoded(ApiWorld.NOW.minusSeconds(600).toString());
        List<Long> tied = List.of(app.build().id().value(), app.test().id().value(),
                app.featureBuild().id().value());
        assertThat(ids("?order_by=created_at&sort=asc" + sameInstant)).containsExactlyElementsOf(tied);
        assertThat(ids("?order_by=created_at&sort=desc" + sameInstant)).containsExactlyElementsOf(reversed(tied));
    }

    @Test
    void keysetPagesWalkEveryOrderWithLinksCarryingEveryParameter() {
        for (String order : List.of("id", "created_at", "updated_at", "finished_at", "duration")) {
            for (String sort : List.of("asc", "desc")) {
                String query = "?pagination=keyset&per_page=3&tag=linux&order_by=" + order + "&sort=" + sort;
                List<Long> all = ids("?per_page=100&tag=linux&order_by=" + order + "&sort=" + sort);
                List<Long> seen = new ArrayList<>();
                String next = world.base() + ApiWorld.PREFIX + jobs + query;
                int pages = 0;
                while (next != null) {
                    assertThat(next).startsWith(world.base() + ApiWorld.PREFIX + jobs + "?")
                            .contains("order_by=" + order).contains("sort=" + sort).contains("tag=linux")
                            .contains("per_page=3").contains("pagination=keyset");
                    Response page = world.get(next.substring((world.base() + ApiWorld.PREFIX).length()), dev);
                    assertThat(page.status()).as(page.toString()).isEqualTo(200);
                    assertThat(page.header("X-Next-Page")).isNull();
                    page.json().forEach(job -> seen.add(job.get("id").asLong()));
                    next = link(page, "next");
                    pages++;
                }
                assertThat(seen).as(order + " " + sort).containsExactlyElementsOf(all).hasSize(10);
                assertThat(pages).isEqualTo(4);
            }
        }
    }

    @Test
    void aCursorOfAnotherOrderIsInvalid() {
        Response byId = world.get(jobs + "?pagination=keyset&per_page=2", dev);
        String cursor = link(byId, "next").replaceAll(".*cursor=([^&]*).*", "$1");
        assertError(world.get(jobs + "?pagination=keyset&per_page=2&order_by=created_at&cursor=" + cursor, dev),
                400, "error", "cursor is invalid");
        Response byFinish = world.get(jobs + "?pagination=keyset&per_page=2&order_by=finished_at", dev);
        String finishCursor = link(byFinish, "next").replaceAll(".*cursor=([^&]*).*", "$1");
        assertThat(world.get(jobs + "?pagination=keyset&per_page=2&order_by=finished_at&cursor=" + finishCursor, dev)
                .status()).isEqualTo(200);
        assertError(world.get(jobs + "?pagination=keyset&order_by=duration&cursor=" + finishCursor, dev), 400,
                "error", "cursor is invalid");
    }

    @Test
    void pipelineJobsPageByKeysetWithFiltersAndKeepTheirTotalsOnOffsetPages() {
        String pipelineJobs = "/projects/" + app.project().id() + "/pipelines/" + app.main().id() + "/jobs";
        Response offset = world.get(pipelineJobs + "?tag=gpu&per_page=2", dev);
        assertThat(offset.status()).isEqualTo(200);
        assertThat(offset.header("X-Total")).isEqualTo("5");
        List<Long> seen = new ArrayList<>();
        String next = world.base() + ApiWorld.PREFIX + pipelineJobs
                + "?pagination=keyset&per_page=2&tag=gpu&order_by=duration&sort=asc";
        while (next != null) {
            Response page = world.get(next.substring((world.base() + ApiWorld.PREFIX).length()), dev);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.header("X-Total")).isNull();
            page.json().forEach(job -> seen.add(job.get("id").asLong()));
            next = link(page, "next");
        }
        assertThat(seen).isEqualTo(slices(i -> i % 2 == 0));
        assertError(world.get(pipelineJobs + "?pagination=keyset&cursor=%21", dev), 400, "error",
                "cursor is invalid");
    }

    @Test
    void theChangeFeedListsJobsByTheirLastChangeOldestFirst() {
        // the slices first (their last change is oldest), then the world's jobs: test, run, and the two builds,
        // changed last and at the same instant (their archives were uploaded "now"), by id
        List<Long> expected = new ArrayList<>(reversed(slices(i -> true)));
        expected.add(app.deploy().id().value());
        expected.addAll(List.of(app.test().id().value(), app.running().id().value(), app.build().id().value(),
                app.featureBuild().id().value()));
        assertThat(world.reload(app.build()).updatedAt()).isEqualTo(world.reload(app.featureBuild()).updatedAt());
        assertThat(ids("?order_by=updated_at&sort=asc&per_page=100&updated_after="
                + encoded(ApiWorld.NOW.minusSeconds(3_600).toString()))).containsExactlyElementsOf(expected);
        assertThat(ids("?order_by=updated_at&sort=asc&updated_after="
                + encoded(ApiWorld.NOW.minusSeconds(10).toString()))).containsExactly(app.running().id().value(),
                app.build().id().value(), app.featureBuild().id().value());
    }

    private static List<Long> reversed(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
