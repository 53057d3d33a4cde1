package io.jobyard.application.service.pipeline;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.ListPipelinesQuery;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelinePage;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelineView;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.Scope;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.out.JobRepository;
import io.jobyard.application.port.out.PipelineRepository.Order;
import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.service.OptimisticRetry;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelinesServiceTest {
    private final ServiceFixture f = new ServiceFixture();
    private final PipelinesUseCase service = f.services.pipelines();

    private PipelinesUseCase serviceOver(JobRepository jobs, Transactor transactor) {
        return f.rewire(ports -> {
            ports.jobs = jobs;
            ports.transactorPort = transactor;
        }).pipelines();
    }

    /** A pipeline of {@code user} in {@code status}; its jobs are added by the tests. */
    private Pipeline pipeline(String ref, JobStatus status, User user, List<JobVariable> variables) {
        Pipeline p = f.data.pipelineRecord(f.project, ref, status);
        return f.repos.pipelines().insert(new Pipeline(p.id(), p.iid(), p.projectId(), p.ref(), p.tag(), p.commit(),
                PipelineSource.API, status, p.stages(), variables, user.id(), p.createdAt(), p.updatedAt(), null,
                null, 0));
    }

    private Map<String, Job> latestJobs(Pipeline pipeline) {
        return f.repos.jobs().findByPipeline(pipeline.id()).stream().filter(j -> !j.retried())
                .collect(Collectors.toMap(Job::name, j -> j));
    }

    private ListPipelinesQuery query(Scope scope, JobStatus status, String username) {
        return new ListPipelinesQuery(f.ref, scope, status, null, null, null, username, null, null, null, null, null,
                null, Order.ID, false, new Pagination.Offset(1, 20));
    }

    @Nested
    class Listing {
        @Test
        void scopesStatusesAndUsersFilterAndEachPageKnowsTheTotal() {
            Pipeline running = pipeline("main", JobStatus.RUNNING, f.developer, List.of());
            Pipeline failed = pipeline("main", JobStatus.FAILED, f.maintainer, List.of());
            Pipeline success = pipeline("feature", JobStatus.SUCCESS, f.developer, List.of());

            assertThat(service.list(as(f.reporter), query(null, null, null)).pipelines())
                    .containsExactly(success, failed, running);
            assertThat(service.list(as(f.reporter), query(Scope.FINISHED, null, null)).pipelines())
                    .containsExactly(success, failed);
            assertThat(service.list(as(f.reporter), query(Scope.RUNNING, null, null)).pipelines())
                    .containsExactly(running);
            assertThat(service.list(as(f.reporter), query(Scope.BRANCHES, null, null)).pipelines())
                    .containsExactly(success, failed);
            assertThat(service.list(as(f.reporter), query(Scope.FINISHED, JobStatus.FAILED, null)).pipelines())
                    .containsExactly(failed);
            assertThat(service.list(as(f.reporter), query(Scope.RUNNING, JobStatus.FAILED, null)).pipelines())
                    .isEmpty();
            assertThat(service.list(as(f.reporter), query(null, null, "dev")).pipelines())
                    .containsExactly(success, running);
            assertThat(service.list(as(f.reporter), query(null, null, "nobody")).pipelines()).isEmpty();

            PipelinePage first = service.list(as(f.reporter), new ListPipelinesQuery(f.ref, null, null, null, null,
                    null, null, null, null, null, null, null, null, Order.ID, true, new Pagination.Offset(1, 2)));
            assertThat(first.pipelines()).containsExactly(running, failed);
            assertThat(first.hasNext()).isTrue();
            assertThat(first.total()).isEqualTo(3L);
            assertThat(first.project()).isEqualTo(f.project);
        }

        @Test
        void pipelinesWithYamlErrorsOrANameDoNotExistHere() {
            pipeline("main", JobStatus.RUNNING, f.developer, List.of());
            ListPipelinesQuery yamlErrors = new ListPipelinesQuery(f.ref, null, null, null, null, null, null, true,
                    null, null, null, null, null, Order.ID, false, new Pagination.Offset(1, 20));
            ListPipelinesQuery named = new ListPipelinesQuery(f.ref, null, null, null, null, null, null, false,
                    "nightly", null, null, null, null, Order.ID, false, new Pagination.Offset(1, 20));
            ListPipelinesQuery blankName = new ListPipelinesQuery(f.ref, null, null, " ", "", null, "", false,
                    "", null, null, null, null, Order.ID, false, new Pagination.Offset(1, 20));

            assertThat(service.list(as(f.reporter), yamlErrors).total()).isZero();
            assertThat(service.list(as(f.reporter), named).total()).isZero();
            assertThat(service.list(as(f.reporter), blankName).total()).isEqualTo(1L);
        }

        @Test
        void readersOfBuildsOnlyAndProjectsOneCannotSeeAreMissing() {
            assertThatThrownBy(() -> service.list(as(f.guest), query(null, null, null)))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.list(as(f.outsider), query(null, null, null)))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("Project");
            assertThatThrownBy(() -> service.list(Actor.ANONYMOUS, query(null, null, null)))
                    .isInstanceOf(NotFoundException.class);

            Project open = f.project("open", Visibility.PUBLIC, true);
            Pipeline visible = f.data.pipeline(open, "main", JobStatus.SUCCESS);
            assertThat(service.list(Actor.ANONYMOUS, ListPipelinesQuery.all(ProjectRef.of(open.id()),
                    new Pagination.Offset(1, 20))).pipelines()).containsExactly(visible);
        }
    }

    @Nested
    class Reading {
        @Test
        void aPipelineComesWithItsUserItsWarningsAndTheAverageCoverageOfItsLatestJobs() {
            Pipeline pipeline = pipeline("main", JobStatus.SUCCESS, f.developer, List.of());
            f.repos.jobs().update(f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.SUCCESS, f.developer)
                    .withCoverage(40.0));
            Job old = f.job(pipeline, JobSpec.simple("lint", "test", 1), JobStatus.FAILED, f.developer);
            f.repos.jobs().update(old.withCoverage(99.0).markRetried(ServiceFixture.NOW));
            f.repos.jobs().update(f.job(pipeline, JobSpec.simple("lint", "test", 1), JobStatus.SUCCESS, f.developer)
                    .withCoverage(50.0));

            PipelineView view = service.get(as(f.reporter), f.ref, pipeline.id());
            assertThat(view.pipeline()).isEqualTo(pipeline);
            assertThat(view.user()).isEqualTo(f.developer);
            assertThat(view.warnings()).isFalse();
            assertThat(view.coverage()).isEqualTo(45.0);

            f.job(pipeline, JobSpec.simple("flaky", "test", 1).withAllowFailure(true), JobStatus.FAILED, null);
            assertThat(service.get(as(f.reporter), f.ref, pipeline.id()).warnings()).isTrue();
        }

        @Test
        void anotherProjectsPipelineIsNotFoundBeforeAbilitiesAreChecked() {
            Project other = f.project("other", Visibility.PRIVATE, false);
            Pipeline elsewhere = f.data.pipeline(other, "main", JobStatus.SUCCESS);

            assertThatThrownBy(() -> service.get(as(f.reporter), f.ref, elsewhere.id()))
                    .isInstanceOf(NotFoundException.class)
                    .satisfies(e -> assertThat(((NotFoundException) e).kind()).isEqualTo(NotFoundException.Kind.RECORD));
            assertThatThrownBy(() -> service.get(as(f.guest), f.ref, PipelineId.of(9_999)))
                    .isInstanceOf(NotFoundException.class);
            Pipeline own = pipeline("main", JobStatus.SUCCESS, f.developer, List.of());
            assertThatThrownBy(() -> service.get(as(f.guest), f.ref, own.id()))
                    .isInstanceOf(ForbiddenException.class);
        }

        @Test
        void variablesAreForMaintainersAndTheDeveloperWhoTriggeredThePipeline() {
            List<JobVariable> given = List.of(JobVariable.of("DEPLOY", "yes"), new JobVariable("KEY", "k", false, true));
            Pipeline pipeline = pipeline("main", JobStatus.SUCCESS, f.developer, given);

            assertThat(service.variables(as(f.developer), f.ref, pipeline.id())).isEqualTo(given);
            assertThat(service.variables(as(f.maintainer), f.ref, pipeline.id())).isEqualTo(given);
            assertThat(service.variables(readOnly(f.maintainer), f.ref, pipeline.id())).isEqualTo(given);

            Pipeline others = pipeline("main", JobStatus.SUCCESS, f.maintainer, given);
            assertThatThrownBy(() -> service.variables(as(f.developer), f.ref, others.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.variables(as(f.reporter), f.ref, pipeline.id()))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Nested
    class Retrying {
        @Test
        void failedAndCanceledJobsAreRetriedSkippedOnesReopenedAndManualOnesWaitAgain() {
            Pipeline pipeline = pipeline("main", JobStatus.FAILED, f.maintainer, List.of());
            Job build = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.maintainer);
            Job unit = f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.FAILED, f.maintainer);
            Job lint = f.job(pipeline, JobSpec.simple("lint", "test", 1), JobStatus.CANCELED, f.maintainer);
            Job review = f.job(pipeline, JobSpec.simple("review", "test", 1).withWhen(WhenCondition.MANUAL, null),
                    JobStatus.FAILED, f.maintainer);
            Job deploy = f.job(pipeline, JobSpec.simple("deploy", "deploy", 2), JobStatus.SKIPPED, f.maintainer);

            PipelineView view = service.retry(as(f.developer), f.ref, pipeline.id());

            Map<String, Job> latest = latestJobs(pipeline);
            assertThat(latest.get("build")).isEqualTo(f.reload(build));
            assertThat(latest.get("unit").id()).isNotEqualTo(unit.id());
            assertThat(latest.get("unit").status()).isEqualTo(JobStatus.PENDING);
            assertThat(latest.get("unit").userId()).isEqualTo(f.developer.id());
            assertThat(latest.get("lint").status()).isEqualTo(JobStatus.PENDING);
            assertThat(latest.get("review").status()).isEqualTo(JobStatus.MANUAL);
            assertThat(latest.get("deploy").id()).isEqualTo(deploy.id());
            assertThat(latest.get("deploy").status()).isEqualTo(JobStatus.CREATED);
            assertThat(f.reload(unit).retried()).isTrue();
            assertThat(f.reload(lint).retried()).isTrue();
            assertThat(f.reload(review).retried()).isTrue();
            assertThat(view.pipeline().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(f.reload(pipeline).status()).isEqualTo(JobStatus.RUNNING);
        }

        @Test
        void aPipelineWithNothingToRetryStaysAsItIs() {
            Pipeline pipeline = pipeline("main", JobStatus.SUCCESS, f.maintainer, List.of());
            Job build = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.maintainer);

            PipelineView view = service.retry(as(f.developer), f.ref, pipeline.id());

            assertThat(view.pipeline().status()).isEqualTo(JobStatus.SUCCESS);
            assertThat(f.repos.jobs().findByPipeline(pipeline.id())).containsExactly(f.reload(build));
        }

        @Test
        void archivedJobsAreNotRetried() {
            Pipeline pipeline = pipeline("main", JobStatus.FAILED, f.maintainer, List.of());
            Job old = f.data.insert(f.data.jobBuilder(pipeline, "unit").status(JobStatus.FAILED)
                    .createdAt(ServiceFixture.NOW.minus(ServiceFixture.ARCHIVE_AFTER).minusSeconds(1)));

            service.retry(as(f.developer), f.ref, pipeline.id());

            assertThat(f.repos.jobs().findByPipeline(pipeline.id())).containsExactly(f.reload(old));
            assertThat(f.reload(old).retried()).isFalse();
        }

        @Test
        void onlyDevelopersWithWritingCredentialsMayRetryAndARefusalChangesNothing() {
            Pipeline pipeline = pipeline("main", JobStatus.FAILED, f.maintainer, List.of());
            Job unit = f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.FAILED, f.maintainer);

            assertThatThrownBy(() -> service.retry(as(f.reporter), f.ref, pipeline.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.retry(readOnly(f.developer), f.ref, pipeline.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.retry(Actor.ANONYMOUS, f.ref, pipeline.id()))
                    .isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> service.retry(as(f.outsider), f.ref, pipeline.id()))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> service.retry(as(f.developer), f.ref, PipelineId.of(9_999)))
                    .isInstanceOf(NotFoundException.class);

            assertThat(f.repos.jobs().findByPipeline(pipeline.id())).containsExactly(unit);
            assertThat(f.reload(pipeline)).isEqualTo(pipeline);
        }
    }

    @Nested
    class Canceling {
        @Test
        void everyCancelableJobIsCanceledManualOnesStayAndThePipelineIsCanceled() {
            Pipeline pipeline = pipeline("main", JobStatus.RUNNING, f.maintainer, List.of());
            Job build = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.maintainer);
            Job unit = f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.RUNNING, f.maintainer);
            Job lint = f.job(pipeline, JobSpec.simple("lint", "test", 1), JobStatus.PENDING, f.maintainer);
            Job review = f.job(pipeline, JobSpec.simple("review", "test", 1)
                    .withWhen(WhenCondition.MANUAL, null).withAllowFailure(true), JobStatus.MANUAL, f.maintainer);
            Job deploy = f.job(pipeline, JobSpec.simple("deploy", "deploy", 2), JobStatus.CREATED, f.maintainer);

            PipelineView view = service.cancel(as(f.developer), f.ref, pipeline.id());

            assertThat(f.reload(build).status()).isEqualTo(JobStatus.SUCCESS);
            assertThat(f.reload(unit).status()).isEqualTo(JobStatus.CANCELED);
            assertThat(f.reload(lint).status()).isEqualTo(JobStatus.CANCELED);
            assertThat(f.reload(review).status()).isEqualTo(JobStatus.MANUAL);
            assertThat(f.reload(deploy).status()).isEqualTo(JobStatus.CANCELED);
            assertThat(view.pipeline().status()).isEqualTo(JobStatus.CANCELED);
            assertThat(f.reload(pipeline).status()).isEqualTo(JobStatus.CANCELED);
        }

        @Test
        void aRunningJobOnARunnerThatCancelsGracefullyGoesToCanceling() {
            Pipeline pipeline = pipeline("main", JobStatus.RUNNING, f.maintainer, List.of());
            Job unit = f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.RUNNING, f.maintainer);
            f.repos.jobs().update(unit.toBuilder().runnerId(f.data.runner("graceful", true).id()).build());

            PipelineView view = service.cancel(as(f.developer), f.ref, pipeline.id());

            assertThat(f.reload(unit).status()).isEqualTo(JobStatus.CANCELING);
            assertThat(view.pipeline().status()).isEqualTo(JobStatus.CANCELING);
        }

        @Test
        void aPipelineWithNothingToCancelComesBackUnchanged() {
            Pipeline pipeline = pipeline("main", JobStatus.SUCCESS, f.maintainer, List.of());
            Job build = f.job(pipeline, JobSpec.simple("build", "build", 0), JobStatus.SUCCESS, f.maintainer);

            assertThat(service.cancel(as(f.developer), f.ref, pipeline.id()).pipeline()).isEqualTo(pipeline);
            assertThat(f.reload(build)).isEqualTo(build);
        }

        @Test
        void reportersMayNotCancelAndARefusalChangesNothing() {
            Pipeline pipeline = pipeline("main", JobStatus.RUNNING, f.maintainer, List.of());
            Job unit = f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.RUNNING, f.maintainer);

            assertThatThrownBy(() -> service.cancel(as(f.reporter), f.ref, pipeline.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.cancel(Actor.ANONYMOUS, f.ref, pipeline.id()))
                    .isInstanceOf(UnauthorizedException.class);
            assertThat(f.reload(unit)).isEqualTo(unit);
            assertThat(f.reload(pipeline)).isEqualTo(pipeline);
        }

        @Test
        void aLostRaceIsRunAgainFromAFreshReadAndEndlessLossesAreAConflictThatChangesNothing() {
            Pipeline pipeline = pipeline("main", JobStatus.RUNNING, f.maintainer, List.of());
            Job unit = f.job(pipeline, JobSpec.simple("unit", "test", 1), JobStatus.PENDING, f.maintainer);

            RacingJobs once = new RacingJobs(1);
            Job canceled = reloadAfter(() -> serviceOver(once.jobs(), once.transactor())
                    .cancel(as(f.developer), f.ref, pipeline.id()), unit);
            assertThat(canceled.status()).isEqualTo(JobStatus.CANCELED);
            assertThat(canceled.coverage()).isEqualTo(12.5);

            Pipeline other = pipeline("main", JobStatus.RUNNING, f.maintainer, List.of());
            Job pending = f.job(other, JobSpec.simple("unit", "test", 1), JobStatus.PENDING, f.maintainer);
            RacingJobs always = new RacingJobs(Integer.MAX_VALUE);
            assertThatThrownBy(() -> serviceOver(always.jobs(), always.transactor())
                    .cancel(as(f.developer), f.ref, other.id()))
                    .isInstanceOf(ConflictException.class).hasMessage("409 Conflict: Resource lock");
            assertThat(f.reload(pending).status()).isEqualTo(JobStatus.PENDING);
            assertThat(f.reload(other).status()).isEqualTo(JobStatus.RUNNING);
        }

        private Job reloadAfter(Runnable action, Job job) {
            action.run();
            return f.reload(job);
        }
    }

    /**
     * Job updates that lose a race {@code times} times: someone else sets the job's coverage first (committed once our
     * attempt's transaction is over), so our update is stale and the use case must start again from a fresh read.
     */
    private final class RacingJobs {
        private final java.util.Deque<Runnable> othersCommits = new java.util.ArrayDeque<>();
        private final int[] left;

        RacingJobs(int times) {
            this.left = new int[] {times};
        }

        JobRepository jobs() {
            JobRepository real = f.repos.jobs();
            return (JobRepository) Proxy.newProxyInstance(JobRepository.class.getClassLoader(),
                    new Class<?>[] {JobRepository.class}, (proxy, method, args) -> {
                        if (method.getName().equals("update") && left[0] > 0) {
                            left[0]--;
                            JobId id = ((Job) args[0]).id();
                            othersCommits.add(() -> real.update(real.findById(id).orElseThrow().withCoverage(12.5)));
                            throw new StaleObjectException("job " + id);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        Transactor transactor() {
            return new Transactor() {
                @Override
                public <T> T inTransaction(Supplier<T> work) {
                    try {
                        return f.repos.transactor().inTransaction(work);
                    } finally {
                        for (Runnable commit = othersCommits.poll(); commit != null; commit = othersCommits.poll()) {
                            commit.run();
                        }
                    }
                }
            };
        }
    }
}
