package io.jobyard.application.service.job;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Test;

import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class GetJobServiceTest {
    private final ServiceFixture f = new ServiceFixture();
    private final Pipeline pipeline = f.pipeline();
    private final Job job = f.job(pipeline, "build", JobStatus.SUCCESS);

    @Test
    void aReporterGetsTheJobWithItsPipelineAndUser() {
        JobView view = f.getJob.get(as(f.reporter), f.ref, job.id());

        assertThat(view.job()).isEqualTo(job);
        assertThat(view.project()).isEqualTo(f.project);
        assertThat(view.pipeline()).isEqualTo(pipeline);
        assertThat(view.user()).isEqualTo(f.developer);
        assertThat(f.getJob.get(readOnly(f.reporter), ProjectRef.parse("acme/app"), job.id()).job()).isEqualTo(job);
    }

    @Test
    void aJobOfAnotherProjectIsARecordMissNotALeak() {
        Project other = f.project("other", Visibility.PRIVATE, false);
        Job foreign = f.data.job(f.data.pipeline(other, "main"), "x", JobStatus.SUCCESS);

        Refusals.recordNotFound(() -> f.getJob.get(as(f.reporter), f.ref, foreign.id()), "Job");
        Refusals.recordNotFound(() -> f.getJob.get(as(f.reporter), f.ref, f.repos.jobs().nextId()), "Job");
    }

    @Test
    void checksGoProjectThenAbilityThenJob() {
        Refusals.projectNotFound(() -> f.getJob.get(as(f.outsider), f.ref, job.id()));
        Refusals.projectNotFound(() -> f.getJob.get(as(f.admin), ProjectRef.parse("acme/none"), job.id()));
        // A guest learns nothing about which job ids exist: the ability is checked before the lookup.
        Refusals.forbidden(() -> f.getJob.get(as(f.guest), f.ref, f.repos.jobs().nextId()));
        Refusals.forbidden(() -> f.getJob.get(as(f.guest), f.ref, job.id()));
    }

    @Test
    void publicPipelinesLetAnyoneReadAPublicProjectsJob() {
        Project open = f.project("open", Visibility.PUBLIC, true);
        Job openJob = f.data.job(f.data.pipeline(open, "main"), "x", JobStatus.SUCCESS);
        assertThat(f.getJob.get(as(f.outsider), ProjectRef.of(open.id()), openJob.id()).job()).isEqualTo(openJob);
        assertThat(f.getJob.get(Actor.ANONYMOUS, ProjectRef.of(open.id()), openJob.id()).job()).isEqualTo(openJob);
    }

    @Test
    void currentJobIsTheFreshStateOfTheTokensJob() {
        Job running = f.job(pipeline, "deploy", JobStatus.RUNNING);
        Actor token = jobToken(f.developer, running);
        Job meanwhile = f.repos.jobs().update(running.withCoverage(42.0));

        JobView view = f.getJob.currentJob(token);

        assertThat(view.job()).isEqualTo(meanwhile);
        assertThat(view.project()).isEqualTo(f.project);
        assertThat(view.job().finishedAt()).isNull();
    }

    @Test
    void currentJobForAnyOtherIdentityIsJobNotFound() {
        Refusals.notFound(() -> f.getJob.currentJob(as(f.admin)), NotFoundException.Kind.RESOURCE, "Job");
        Refusals.notFound(() -> f.getJob.currentJob(readOnly(f.developer)), NotFoundException.Kind.RESOURCE, "Job");
        Refusals.notFound(() -> f.getJob.currentJob(Actor.ANONYMOUS), NotFoundException.Kind.RESOURCE, "Job");
    }
}
