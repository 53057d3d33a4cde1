package io.jobyard.application.service.runner;

import io.jobyard.application.port.in.runner.JobRequestPayload.ArtifactFile;
import io.jobyard.application.port.in.runner.JobRequestPayload.Dependency;
import io.jobyard.application.port.in.runner.JobRequestPayload;
import io.jobyard.application.port.in.runner.RequestJobUseCase.Assigned;
import io.jobyard.application.port.in.runner.RequestJobUseCase.NoJob;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code dependencies} of a payload: whose archives a job downloads, and jobs whose dependencies are gone. */
class DependenciesTest {
    private final RunnerTestbed bed = new RunnerTestbed();
    private final CreatedRunner runner = bed.untaggedRunner();

    private static JobSpec withDependencies(JobSpec spec, List<String> dependencies) {
        JobExecution e = spec.execution();
        return spec.withExecution(new JobExecution(e.image(), e.services(), e.beforeScript(), e.script(),
                e.afterScript(), dependencies, e.artifacts(), e.timeoutSeconds()));
    }

    private Pipeline threeStages() {
        return bed.pipeline(List.of("build", "test", "deploy"),
                JobSpec.simple("b1", "build", 0),
                JobSpec.simple("b2", "build", 0),
                JobSpec.simple("t-all", "test", 1),
                withDependencies(JobSpec.simple("t-none", "test", 1), List.of()),
                JobSpec.simple("t-dag", "test", 1).withNeeds(List.of("b2")),
                withDependencies(JobSpec.simple("deploy", "deploy", 2), List.of("b1")));
    }

    /** Runs every job the runner can get now to success; returns their payloads by name. */
    private Map<String, JobRequestPayload> runAllPending() {
        Map<String, JobRequestPayload> payloads = new HashMap<>();
        for (Object result = bed.request(runner); !(result instanceof NoJob); result = bed.request(runner)) {
            JobRequestPayload payload = ((Assigned) result).payload();
            payloads.put(payload.jobInfo().name(), payload);
        }
        payloads.values().forEach(p -> bed.report(p, "success"));
        return payloads;
    }

    @Test
    void earlier_stages_needs_and_named_dependencies_with_their_archives_and_the_running_jobs_token() {
        Pipeline pipeline = threeStages();
        JobArtifact archive = bed.data.artifact(bed.job(pipeline, "b1"), ArtifactFileType.ARCHIVE);
        bed.data.artifact(bed.job(pipeline, "b2"), ArtifactFileType.TRACE);
        Map<String, JobRequestPayload> build = runAllPending();
        assertThat(build).containsOnlyKeys("b1", "b2");
        Job b1 = bed.job(pipeline, "b1");
        Job b2 = bed.job(pipeline, "b2");

        Map<String, JobRequestPayload> test = runAllPending();
        assertThat(test).containsOnlyKeys("t-all", "t-none", "t-dag");

        JobRequestPayload all = test.get("t-all");
        assertThat(all.dependencies()).containsExactly(
                new Dependency(b1.id().value(), "b1", all.token(), new ArtifactFile("artifacts.zip", archive.size())),
                // No archive (a log is not one): the artifacts_file key is absent.
                new Dependency(b2.id().value(), "b2", all.token(), null));
        assertThat(test.get("t-none").dependencies()).isEmpty();
        JobRequestPayload dag = test.get("t-dag");
        assertThat(dag.dependencies()).containsExactly(new Dependency(b2.id().value(), "b2", dag.token(), null));

        JobRequestPayload deploy = runAllPending().get("deploy");
        assertThat(deploy.dependencies()).extracting(Dependency::name).containsExactly("b1");
    }

    @Test
    void a_dependency_whose_artifacts_expired_fails_the_job_with_missing_dependency_failure() {
        Pipeline pipeline = bed.pipeline(List.of("build", "test"),
                JobSpec.simple("b1", "build", 0),
                JobSpec.simple("t-uses-b1", "test", 1),
                withDependencies(JobSpec.simple("t-standalone", "test", 1), List.of()));
        bed.data.artifact(bed.job(pipeline, "b1"), ArtifactFileType.ARCHIVE);
        runAllPending();
        Job b1 = bed.job(pipeline, "b1");
        bed.repos.jobs().update(b1.withArtifactsExpireAt(bed.clock.instant().minusSeconds(1), bed.clock.instant()));
        // A log, so that the job's ending shows whether the work after every completion (archiving it) ran.
        bed.log(bed.job(pipeline, "t-uses-b1").id());

        // The runner is handed the next job instead.
        JobRequestPayload payload = bed.assigned(runner);
        assertThat(payload.jobInfo().name()).isEqualTo("t-standalone");

        Job broken = bed.job(pipeline, "t-uses-b1");
        assertThat(broken.status()).isEqualTo(JobStatus.FAILED);
        assertThat(broken.failureReason()).isEqualTo(FailureReason.MISSING_DEPENDENCY_FAILURE);
        assertThat(bed.archivedLogs()).extracting(Job::name).contains("t-uses-b1");
        bed.report(payload, "success");
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void a_dependency_that_was_erased_fails_the_job_too() {
        Pipeline pipeline = bed.pipeline(List.of("build", "test"),
                JobSpec.simple("b1", "build", 0), JobSpec.simple("t", "test", 1));
        runAllPending();
        Job b1 = bed.job(pipeline, "b1");
        bed.repos.jobs().update(b1.erase(bed.admin.id(), bed.clock.instant()));

        assertThat(bed.request(runner)).isInstanceOf(NoJob.class);
        assertThat(bed.job(pipeline, "t").failureReason()).isEqualTo(FailureReason.MISSING_DEPENDENCY_FAILURE);
    }

    @Test
    void expiry_in_the_future_or_none_at_all_keeps_dependencies_valid() {
        Pipeline pipeline = bed.pipeline(List.of("build", "test"),
                JobSpec.simple("b1", "build", 0), JobSpec.simple("b2", "build", 0), JobSpec.simple("t", "test", 1));
        bed.data.artifact(bed.job(pipeline, "b1"), ArtifactFileType.ARCHIVE);
        runAllPending();
        Job b1 = bed.job(pipeline, "b1");
        bed.repos.jobs().update(b1.withArtifactsExpireAt(bed.clock.instant().plus(Duration.ofDays(1)),
                bed.clock.instant()));

        JobRequestPayload payload = bed.assigned(runner);
        assertThat(payload.jobInfo().name()).isEqualTo("t");
        assertThat(payload.dependencies()).extracting(Dependency::name).containsExactly("b1", "b2");
        assertThat(payload.dependencies().get(0).artifactsFile()).isNotNull();
    }
}
