package io.jobyard.application.service.job;

import io.jobyard.application.service.PortCalls;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobViewAssemblerTest {
    private final ServiceFixture f = new ServiceFixture();

    private final AtomicInteger calls = new AtomicInteger();
    private final JobViewAssembler countedAssembler = countedAssembler();

    private JobViewAssembler countedAssembler() {
        return f.rewire(ports -> {
            ports.pipelines = PortCalls.counting(PipelineRepository.class, f.repos.pipelines(), calls);
            ports.users = PortCalls.counting(UserRepository.class, f.repos.users(), calls);
            ports.runners = PortCalls.counting(RunnerRepository.class, f.repos.runners(), calls);
            ports.artifacts = PortCalls.counting(ArtifactRepository.class, f.repos.artifacts(), calls);
        }).jobViews();
    }

    private int callsFor(List<Job> jobs) {
        calls.set(0);
        countedAssembler.views(f.project, jobs);
        return calls.get();
    }

    @Test
    void aPageCostsTheSameQueriesWhateverItsSize() {
        List<User> users = List.of(f.developer, f.maintainer, f.owner);
        List<Job> jobs = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            Pipeline pipeline = f.data.pipeline(f.project, "branch-" + p, JobStatus.SUCCESS);
            Runner runner = f.data.runner("runner " + p, false);
            for (int j = 0; j < 10; j++) {
                Job job = f.data.insert(TestDataJobs.succeeded(f, pipeline, "job" + j)
                        .userId(users.get(j % 3).id()).runnerId(runner.id()));
                f.data.artifact(job, ArtifactFileType.ARCHIVE);
                f.data.artifact(job, ArtifactFileType.TRACE);
                jobs.add(job);
            }
        }

        int forOne = callsFor(jobs.subList(0, 1));
        int forForty = callsFor(jobs);

        assertThat(forForty).isEqualTo(forOne).isLessThanOrEqualTo(5);
    }

    @Test
    void viewsKeepThePageOrderAndCarryEverythingTheJobEntityShows() {
        Pipeline pipeline = f.pipeline();
        Runner runner = f.data.runner("shared", true);
        Job withAll = f.data.insert(TestDataJobs.succeeded(f, pipeline, "build").userId(f.developer.id())
                .runnerId(runner.id()));
        JobArtifact archive = f.data.artifact(withAll, ArtifactFileType.ARCHIVE);
        Job bare = f.data.insert(f.data.jobBuilder(pipeline, "lint").createdAt(NOW));

        List<JobView> views = f.views.views(f.project, List.of(bare, withAll));

        assertThat(views).extracting(JobView::job).containsExactly(bare, withAll);
        JobView full = views.get(1);
        assertThat(full.project()).isEqualTo(f.project);
        assertThat(full.pipeline()).isEqualTo(pipeline);
        assertThat(full.user()).isEqualTo(f.developer);
        assertThat(full.runner()).isEqualTo(runner);
        assertThat(full.artifacts().all()).containsExactly(archive);
        JobView empty = views.get(0);
        assertThat(empty.user()).isNull();
        assertThat(empty.runner()).isNull();
        assertThat(empty.artifacts().all()).isEmpty();
    }

    @Test
    void onlyTheLatestSuccessfulPipelineOfARefHasLockedArtifacts() {
        Pipeline olderSuccess = f.data.pipeline(f.project, "main", JobStatus.SUCCESS);
        Pipeline latestSuccess = f.data.pipeline(f.project, "main", JobStatus.SUCCESS);
        Pipeline newerFailed = f.data.pipeline(f.project, "main", JobStatus.FAILED);
        Pipeline otherRef = f.data.pipeline(f.project, "feature", JobStatus.SUCCESS);
        Job older = f.data.insert(TestDataJobs.succeeded(f, olderSuccess, "build"));
        Job latest = f.data.insert(TestDataJobs.succeeded(f, latestSuccess, "build"));
        Job failed = f.data.insert(TestDataJobs.succeeded(f, newerFailed, "build"));
        Job feature = f.data.insert(TestDataJobs.succeeded(f, otherRef, "build"));

        List<JobView> views = f.views.views(f.project, List.of(older, latest, failed, feature));

        assertThat(views).extracting(v -> v.artifacts().pipelineLocked()).containsExactly(false, true, false, true);
    }

    @Test
    void jobsOlderThanTheArchiveAgeOrDegeneratedAreArchived() {
        Pipeline pipeline = f.pipeline();
        Job old = f.data.insert(TestDataJobs.succeeded(f, pipeline, "old")
                .createdAt(NOW.minus(ServiceFixture.ARCHIVE_AFTER).minusSeconds(1)));
        Job young = f.data.insert(TestDataJobs.succeeded(f, pipeline, "young")
                .createdAt(NOW.minus(ServiceFixture.ARCHIVE_AFTER).plusSeconds(1)));
        Job degenerated = f.data.insert(TestDataJobs.succeeded(f, pipeline, "purged").degenerated(true));

        assertThat(f.views.views(f.project, List.of(old, young, degenerated)))
                .extracting(JobView::archived).containsExactly(true, false, true);

        JobViewAssembler neverArchives = f.rewire(f.settings.withArchivePolicy(ArchivePolicy.NEVER)).jobViews();
        assertThat(neverArchives.view(f.project, old).archived()).isFalse();
        f.clock.advance(Duration.ofDays(365));
        assertThat(f.views.view(f.project, young).archived()).isTrue();
    }

    @Test
    void anEmptyPageAsksNothing() {
        assertThat(callsFor(List.of())).isZero();
    }

    @Test
    void aJobOfAnotherProjectIsAProgrammingError() {
        Job foreign = f.data.job(f.data.pipeline(f.data.project("foreign"), "main"), "x", JobStatus.SUCCESS);
        assertThatThrownBy(() -> f.views.view(f.project, foreign)).isInstanceOf(IllegalArgumentException.class);
    }
}
