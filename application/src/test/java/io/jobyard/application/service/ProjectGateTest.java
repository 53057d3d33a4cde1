package io.jobyard.application.service;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Test;

import static io.jobyard.application.service.ServiceFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

/** The sequence every job route of a project begins with: the project, then read_build, then this project's job. */
class ProjectGateTest {
    private final ServiceFixture f = new ServiceFixture();
    private final ProjectGate gate = f.services.projectGate();
    private final Job job = f.job(f.pipeline(), "build", JobStatus.SUCCESS);

    @Test
    void aReporterOpensTheJobWithTheAccessThatReachedIt() {
        ProjectGate.ProjectJob opened = gate.openJob(as(f.reporter), f.ref, job.id());

        assertThat(opened.job()).isEqualTo(job);
        assertThat(opened.access().project()).isEqualTo(f.project);
        assertThat(opened.access().canReadBuilds()).isTrue();
    }

    @Test
    void theProjectComesFirstThenReadBuildThenTheJob() {
        Refusals.projectNotFound(() -> gate.openJob(as(f.outsider), f.ref, job.id()));
        Refusals.projectNotFound(() -> gate.openBuilds(Actor.ANONYMOUS, f.ref));
        // A guest sees the project but not its jobs, and learns nothing about which job ids exist.
        Refusals.forbidden(() -> gate.openBuilds(as(f.guest), f.ref));
        Refusals.forbidden(() -> gate.openJob(as(f.guest), f.ref, f.repos.jobs().nextId()));
        Refusals.recordNotFound(() -> gate.openJob(as(f.reporter), f.ref, f.repos.jobs().nextId()), "Job");
    }

    @Test
    void aJobOfAnotherProjectIsNotFoundThroughThisOne() {
        Project other = f.project("other", Visibility.PRIVATE, false);
        Job foreign = f.data.job(f.data.pipeline(other, "main"), "x", JobStatus.SUCCESS);

        Refusals.recordNotFound(() -> gate.openJob(as(f.reporter), f.ref, foreign.id()), "Job");
        Refusals.recordNotFound(() -> gate.jobOf(gate.open(as(f.reporter), f.ref), foreign.id()), "Job");
        assertThat(gate.openJob(as(f.reporter), ProjectRef.of(other.id()), foreign.id()).job()).isEqualTo(foreign);
    }
}
