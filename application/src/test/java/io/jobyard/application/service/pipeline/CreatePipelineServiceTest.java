package io.jobyard.application.service.pipeline;

import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class CreatePipelineServiceTest {
    private static final List<String> STAGES = List.of("build", "test", "deploy");

    private final ServiceFixture f = new ServiceFixture();

    private CreatePipelineCommand command(List<JobSpec> jobs) {
        return new CreatePipelineCommand(f.ref, "main", false, TestData.commit(7), PipelineSource.API, STAGES, jobs,
                List.of(JobVariable.of("RELEASE", "1")));
    }

    private Map<String, Job> jobsOf(Pipeline pipeline) {
        return f.repos.jobs().findByPipeline(pipeline.id()).stream()
                .collect(Collectors.toMap(Job::name, Function.identity()));
    }

    @Test
    void createsThePipelineAndEnqueuesItsFirstJobs() {
        Pipeline pipeline = f.createPipeline.create(as(f.developer), command(List.of(
                JobSpec.simple("compile", "build", 0),
                JobSpec.simple("lint", "build", 0),
                JobSpec.simple("unit", "test", 1),
                JobSpec.simple("fast", "test", 1).withNeeds(List.of()),
                JobSpec.simple("review", "build", 0).withWhen(WhenCondition.MANUAL, null).withAllowFailure(true),
                JobSpec.simple("later", "build", 0).withWhen(WhenCondition.DELAYED, Duration.ofMinutes(10)),
                JobSpec.simple("ship", "deploy", 2).withNeeds(List.of("unit")))));

        assertThat(pipeline.iid()).isEqualTo(1);
        assertThat(pipeline.projectId()).isEqualTo(f.project.id());
        assertThat(pipeline.ref()).isEqualTo("main");
        assertThat(pipeline.userId()).isEqualTo(f.developer.id());
        assertThat(pipeline.stages()).isEqualTo(STAGES);
        assertThat(pipeline.variables()).containsExactly(JobVariable.of("RELEASE", "1"));
        // Pending next to scheduled jobs composes to running, as in GitLab.
        assertThat(pipeline.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(f.reload(pipeline)).isEqualTo(pipeline);

        Map<String, Job> jobs = jobsOf(pipeline);
        assertThat(jobs.get("compile").status()).isEqualTo(JobStatus.PENDING);
        assertThat(jobs.get("compile").queuedAt()).isEqualTo(NOW);
        assertThat(jobs.get("lint").status()).isEqualTo(JobStatus.PENDING);
        assertThat(jobs.get("fast").status()).isEqualTo(JobStatus.PENDING);
        assertThat(jobs.get("review").status()).isEqualTo(JobStatus.MANUAL);
        assertThat(jobs.get("later").status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(jobs.get("later").scheduledAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(jobs.get("unit").status()).isEqualTo(JobStatus.CREATED);
        assertThat(jobs.get("ship").status()).isEqualTo(JobStatus.CREATED);
        assertThat(jobs.values()).allSatisfy(j -> {
            assertThat(j.userId()).isEqualTo(f.developer.id());
            assertThat(j.ref()).isEqualTo("main");
            assertThat(j.projectId()).isEqualTo(f.project.id());
        });
    }

    @Test
    void iidsCountPerProject() {
        List<JobSpec> one = List.of(JobSpec.simple("compile", "build", 0));
        Pipeline first = f.createPipeline.create(as(f.developer), command(one));
        assertThat(first.status()).isEqualTo(JobStatus.PENDING);
        assertThat(f.createPipeline.create(as(f.developer), command(one)).iid()).isEqualTo(2);
    }

    @Test
    void invalidDefinitionsAreBadRequestsAndStoreNothing() {
        List<List<JobSpec>> invalid = List.of(
                List.of(),
                List.of(JobSpec.simple("a", "build", 0), JobSpec.simple("a", "test", 1)),
                List.of(JobSpec.simple("a", "test", 0)),
                List.of(JobSpec.simple("a", "release", 3)),
                List.of(JobSpec.simple("a", "build", 0).withNeeds(List.of("ghost"))),
                List.of(JobSpec.simple("a", "build", 0).withNeeds(List.of("a"))),
                List.of(JobSpec.simple("a", "build", 0).withNeeds(List.of("b")),
                        JobSpec.simple("b", "build", 0).withNeeds(List.of("c")),
                        JobSpec.simple("c", "build", 0).withNeeds(List.of("a"))));
        for (List<JobSpec> jobs : invalid) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.createPipeline.create(as(f.developer),
                    command(jobs))).isInstanceOf(io.jobyard.domain.error.BadRequestException.class);
        }
        assertThat(f.repos.pipelines().count(f.project.id(),
                io.jobyard.application.port.out.PipelineRepository.PipelineFilter.ALL)).isZero();
    }

    @Test
    void aRefNoRepositoryCanHoldIsNotFoundAndStoresNothing() {
        CreatePipelineCommand tooLong = new CreatePipelineCommand(f.ref, "r".repeat(1025), false, TestData.commit(7),
                PipelineSource.API, STAGES, List.of(JobSpec.simple("a", "build", 0)), List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.createPipeline.create(as(f.developer), tooLong))
                .isInstanceOf(io.jobyard.domain.error.BadRequestException.class)
                .hasMessage("Reference not found");
        assertThat(f.repos.pipelines().count(f.project.id(),
                io.jobyard.application.port.out.PipelineRepository.PipelineFilter.ALL)).isZero();
        CreatePipelineCommand longest = new CreatePipelineCommand(f.ref, "r".repeat(1024), false, TestData.commit(7),
                PipelineSource.API, STAGES, List.of(JobSpec.simple("a", "build", 0)), List.of());
        assertThat(f.createPipeline.create(as(f.developer), longest).ref()).hasSize(1024);
    }

    @Test
    void creatingPipelinesNeedsADeveloperWithWriteCredentials() {
        List<JobSpec> one = List.of(JobSpec.simple("compile", "build", 0));
        Refusals.forbidden(() -> f.createPipeline.create(as(f.reporter), command(one)));
        Refusals.forbidden(() -> f.createPipeline.create(readOnly(f.maintainer), command(one)));
        Refusals.unauthorized(() -> f.createPipeline.create(Actor.ANONYMOUS, command(one)));
        Refusals.projectNotFound(() -> f.createPipeline.create(as(f.outsider), command(one)));
        Refusals.projectNotFound(() -> f.createPipeline.create(as(f.admin), new CreatePipelineCommand(
                ProjectRef.parse("acme/none"), "main", false, TestData.commit(1), PipelineSource.API, STAGES, one,
                List.of())));
        assertThat(f.createPipeline.create(as(f.admin), command(one)).userId()).isEqualTo(f.admin.id());
    }
}
