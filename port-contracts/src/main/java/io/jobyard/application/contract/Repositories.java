package io.jobyard.application.contract;

import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.ProjectRepository;
import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;

import java.util.Objects;

/**
 * One consistent set of repository ports over one store, and the transactor of that store. The contracts need all of
 * them because a job can only be stored once its project, pipeline, user and runner exist (a database enforces that
 * with foreign keys).
 */
public record Repositories(
        ProjectRepository projects,
        UserRepository users,
        PipelineRepository pipelines,
        JobRepository jobs,
        ArtifactRepository artifacts,
        RunnerRepository runners,
        Transactor transactor) {

    public Repositories {
        Objects.requireNonNull(projects, "projects");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(pipelines, "pipelines");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(runners, "runners");
        Objects.requireNonNull(transactor, "transactor");
    }
}
