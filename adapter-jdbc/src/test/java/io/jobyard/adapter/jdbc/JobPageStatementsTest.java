package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.out.ArtifactRepository;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.service.job.JobViewAssembler;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.job.ArchivePolicy;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No N+1: a page of jobs with their pipelines, users, runners and artifacts (assembled by the application's own
 * {@link JobViewAssembler}) costs the same statements for 100 jobs as for 5.
 */
class JobPageStatementsTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path h2Directory;

    @Test
    void onH2() {
        assertConstantStatements(JdbcPersistence.migrateAndOpen(TestStores.h2DataSource(h2Directory)));
    }

    @Test
    void onPostgres() {
        assertConstantStatements(JdbcPersistence.migrateAndOpen(TestStores.newPostgresDatabase(2)));
    }

    private static void assertConstantStatements(JdbcPersistence persistence) {
        StatementCounter counter = new StatementCounter();
        persistence.withSqlLogger(counter);
        Project project = seedHundredJobs(persistence);
        JobViewAssembler assembler = new JobViewAssembler(persistence.pipelines(), persistence.users(),
                persistence.runners(), persistence.artifacts(), ArchivePolicy.NEVER,
                Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));

        counter.reset();
        List<JobView> small = page(persistence.jobs(), assembler, project, 5);
        List<String> smallStatements = counter.statements();
        counter.reset();
        List<JobView> full = page(persistence.jobs(), assembler, project, 100);
        List<String> fullStatements = counter.statements();

        assertThat(small).hasSize(5);
        assertThat(full).hasSize(100);
        assertThat(full).allSatisfy(view -> {
            assertThat(view.pipeline()).isNotNull();
            assertThat(view.user()).isNotNull();
            assertThat(view.runner()).isNotNull();
        });
        assertThat(full.stream().filter(view -> view.artifacts().archive().isPresent())).hasSize(50);
        // the page itself, pipelines, users, runners with their tags, artifacts, latest successful pipelines per ref
        assertThat(fullStatements).hasSize(6);
        assertThat(fullStatements).hasSameSizeAs(smallStatements);
    }

    private static List<JobView> page(JobRepository jobs, JobViewAssembler assembler, Project project, int size) {
        List<Job> page = jobs.listForProjectBefore(project.id(), Set.of(), null, size);
        return assembler.views(project, page);
    }

    static Project seedHundredJobs(JdbcPersistence persistence) {
        Project project = persistence.projects().insert(new Project(persistence.projects().nextId(), "Paged", "paged",
                "group", Visibility.PRIVATE, false, false, T0));
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(persistence.users().insert(new User(persistence.users().nextId(), "pager" + i, "Pager " + i,
                    null, false, false, UserState.ACTIVE, T0)));
        }
        List<Runner> runners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runners.add(persistence.runners().insert(new Runner(persistence.runners().nextId(), "runner " + i,
                    RunnerType.INSTANCE_TYPE, null, true, List.of("docker", "t" + i), true, false,
                    "runner-digest-" + i, T0, T0)));
        }
        List<Pipeline> pipelines = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            pipelines.add(persistence.pipelines().insert(new Pipeline(persistence.pipelines().nextId(),
                    persistence.pipelines().nextIid(project.id()), project.id(), i % 2 == 0 ? "main" : "feature-" + i,
                    false, Commit.ofSha(String.format("%040x", i + 1), OffsetDateTime.of(2024, 5, 1, 9, 0, 0, 0,
                    ZoneOffset.UTC)), PipelineSource.PUSH, i % 3 == 0 ? JobStatus.SUCCESS : JobStatus.FAILED,
                    List.of("test"), List.of(), users.get(0).id(), T0, T0, null, null, 0)));
        }
        ArtifactRepository artifacts = persistence.artifacts();
        for (int i = 0; i < 100; i++) {
            Pipeline pipeline = pipelines.get(i % pipelines.size());
            Job job = persistence.jobs().insert(Job.builder()
                    .id(persistence.jobs().nextId()).projectId(project.id()).pipelineId(pipeline.id())
                    .spec(JobSpec.simple("job " + i, "test", 0)).status(JobStatus.SUCCESS).ref(pipeline.ref())
                    .userId(users.get(i % users.size()).id()).runnerId(runners.get(i % runners.size()).id())
                    .createdAt(T0).updatedAt(T0).build());
            if (i % 2 == 0) {
                for (ArtifactFileType type : List.of(ArtifactFileType.ARCHIVE, ArtifactFileType.TRACE)) {
                    artifacts.insert(new JobArtifact(artifacts.nextId(), job.id(), project.id(), type,
                            type.requiredFormat(), type.defaultFilename(), 10, null, null, false,
                            ArtifactAccessibility.PUBLIC, "key/" + job.id() + "/" + type.wireName(), T0));
                }
            }
        }
        return project;
    }
}
