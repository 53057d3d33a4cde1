package io.jobyard.application.service.job;

import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.application.port.in.job.JobPage;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.job.ListJobsUseCase.PipelineJobsQuery;
import io.jobyard.application.port.in.job.ListJobsUseCase.ProjectJobsQuery;
import io.jobyard.application.service.Refusals;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.jobToken;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;

class ListJobsServiceTest {
    private final ServiceFixture f = new ServiceFixture();

    private static ProjectJobsQuery projectJobs(ProjectRef ref, Set<JobStatus> scope, Pagination pagination) {
        return new ProjectJobsQuery(ref, scope, pagination);
    }

    private static ProjectJobsQuery firstPage(ProjectRef ref) {
        return projectJobs(ref, Set.of(), new Pagination.Offset(1, 20));
    }

    private static List<JobId> ids(JobPage page) {
        return page.jobs().stream().map(v -> v.job().id()).toList();
    }

    @Nested
    class ProjectJobs {
        private final Pipeline pipeline = f.pipeline();

        @Test
        void newestFirstWithRetriedAndCreatedJobsAndNoTotal() {
            Job retried = f.data.insert(TestDataJobs.inStatus(f, pipeline,
                    io.jobyard.domain.job.JobSpec.simple("rspec", "test", 1), JobStatus.FAILED).retried(true));
            Job retry = f.job(pipeline, "rspec", JobStatus.PENDING);
            Job created = f.job(pipeline, "deploy", JobStatus.CREATED);
            f.job(f.data.pipeline(f.data.project("elsewhere"), "main"), "foreign", JobStatus.PENDING);

            JobPage page = f.listJobs.listProjectJobs(as(f.reporter), firstPage(f.ref));

            assertThat(ids(page)).containsExactly(created.id(), retry.id(), retried.id());
            assertThat(page.hasNext()).isFalse();
            assertThat(page.total()).isNull();
        }

        @Test
        void scopeKeepsOnlyTheGivenStatuses() {
            Job failed = f.job(pipeline, "a", JobStatus.FAILED);
            f.job(pipeline, "b", JobStatus.SUCCESS);
            Job manual = f.job(pipeline, "c", JobStatus.MANUAL);

            JobPage page = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(JobStatus.FAILED, JobStatus.MANUAL), new Pagination.Offset(1, 20)));

            assertThat(ids(page)).containsExactly(manual.id(), failed.id());
        }

        @Test
        void offsetPagesSayWhetherAnotherFollows() {
            List<Job> jobs = List.of(f.job(pipeline, "a", JobStatus.SUCCESS), f.job(pipeline, "b", JobStatus.SUCCESS),
                    f.job(pipeline, "c", JobStatus.SUCCESS));

            JobPage first = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(), new Pagination.Offset(1, 2)));
            JobPage second = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(), new Pagination.Offset(2, 2)));
            JobPage exact = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(), new Pagination.Offset(1, 3)));

            assertThat(ids(first)).containsExactly(jobs.get(2).id(), jobs.get(1).id());
            assertThat(first.hasNext()).isTrue();
            assertThat(ids(second)).containsExactly(jobs.get(0).id());
            assertThat(second.hasNext()).isFalse();
            assertThat(exact.jobs()).hasSize(3);
            assertThat(exact.hasNext()).isFalse();
        }

        @Test
        void keysetPagesContinueBelowTheCursor() {
            List<Job> jobs = List.of(f.job(pipeline, "a", JobStatus.SUCCESS), f.job(pipeline, "b", JobStatus.FAILED),
                    f.job(pipeline, "c", JobStatus.SUCCESS));

            JobPage first = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(), Pagination.Keyset.first(2)));
            JobPage second = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(), new Pagination.Keyset(jobs.get(1).id(), 2)));
            JobPage filtered = f.listJobs.listProjectJobs(as(f.reporter),
                    projectJobs(f.ref, Set.of(JobStatus.SUCCESS), new Pagination.Keyset(jobs.get(2).id(), 2)));

            assertThat(ids(first)).containsExactly(jobs.get(2).id(), jobs.get(1).id());
            assertThat(first.hasNext()).isTrue();
            assertThat(ids(second)).containsExactly(jobs.get(0).id());
            assertThat(second.hasNext()).isFalse();
            assertThat(ids(filtered)).containsExactly(jobs.get(0).id());
        }

        @Test
        void viewsAreAssembled() {
            Job job = f.job(pipeline, "a", JobStatus.SUCCESS);
            JobView view = f.listJobs.listProjectJobs(as(f.reporter), firstPage(f.ref)).jobs().get(0);
            assertThat(view.job()).isEqualTo(job);
            assertThat(view.pipeline()).isEqualTo(pipeline);
            assertThat(view.user()).isEqualTo(f.developer);
        }

        @Test
        void theProjectCanBeNamedByItsPathInAnyCase() {
            Job job = f.job(pipeline, "a", JobStatus.SUCCESS);
            JobPage page = f.listJobs.listProjectJobs(as(f.reporter), firstPage(ProjectRef.parse("ACME/App")));
            assertThat(ids(page)).containsExactly(job.id());
        }
    }

    @Nested
    class ProjectJobsAccess {
        private void allowed(Actor actor, ProjectRef ref) {
            assertThat(f.listJobs.listProjectJobs(actor, firstPage(ref)).jobs()).isNotNull();
        }

        @Test
        void reportersAndAboveOfAPrivateProjectMayList() {
            for (User user : List.of(f.reporter, f.developer, f.maintainer, f.owner, f.admin)) {
                allowed(as(user), f.ref);
            }
            allowed(readOnly(f.reporter), f.ref);
        }

        @Test
        void aGuestOfAPrivateProjectIsForbidden() {
            Refusals.forbidden(() -> f.listJobs.listProjectJobs(as(f.guest), firstPage(f.ref)));
        }

        @Test
        void outsidersAndAnonymousDoNotSeeAPrivateProjectAtAll() {
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(as(f.outsider), firstPage(f.ref)));
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(Actor.ANONYMOUS, firstPage(f.ref)));
        }

        @Test
        void unknownProjectsAreNotFound() {
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(as(f.admin),
                    firstPage(ProjectRef.parse("acme/nothing"))));
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(as(f.admin),
                    firstPage(ProjectRef.parse("999999"))));
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(as(f.admin), firstPage(ProjectRef.parse("app"))));
        }

        @Test
        void publicPipelinesOpenAPublicProjectsJobsToEveryone() {
            Project open = f.project("open", Visibility.PUBLIC, true);
            ProjectRef ref = ProjectRef.of(open.id());
            allowed(as(f.guest), ref);
            allowed(as(f.outsider), ref);
            allowed(Actor.ANONYMOUS, ref);
        }

        @Test
        void withoutPublicPipelinesAPublicProjectsJobsNeedAReporter() {
            Project closed = f.project("closed", Visibility.PUBLIC, false);
            ProjectRef ref = ProjectRef.of(closed.id());
            Refusals.forbidden(() -> f.listJobs.listProjectJobs(as(f.guest), firstPage(ref)));
            Refusals.forbidden(() -> f.listJobs.listProjectJobs(as(f.outsider), firstPage(ref)));
            Refusals.forbidden(() -> f.listJobs.listProjectJobs(Actor.ANONYMOUS, firstPage(ref)));
            allowed(as(f.reporter), ref);
        }

        @Test
        void anInternalProjectIsVisibleToSignedInUsersOnly() {
            Project internal = f.project("internal", Visibility.INTERNAL, true);
            ProjectRef ref = ProjectRef.of(internal.id());
            allowed(as(f.outsider), ref);
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(Actor.ANONYMOUS, firstPage(ref)));
        }

        @Test
        void aPublicPipelinesSettingDoesNotOpenAPrivateProject() {
            Project privateButPublicBuilds = f.project("secretive", Visibility.PRIVATE, true);
            ProjectRef ref = ProjectRef.of(privateButPublicBuilds.id());
            Refusals.projectNotFound(() -> f.listJobs.listProjectJobs(as(f.outsider), firstPage(ref)));
            allowed(as(f.guest), ref);
        }

        @Test
        void aJobTokenListsItsOwnProjectAsItsUser() {
            Job running = f.job(f.pipeline(), "a", JobStatus.RUNNING);
            allowed(jobToken(f.developer, running), f.ref);
            Refusals.forbidden(() -> f.listJobs.listProjectJobs(jobToken(f.guest, running), firstPage(f.ref)));
        }

        @Test
        void aJobTokenCannotReachAnotherProject() {
            Job running = f.job(f.pipeline(), "a", JobStatus.RUNNING);
            Project other = f.project("other", Visibility.PUBLIC, true);

            Refusals.forbidden(() -> f.listJobs.listProjectJobs(jobToken(f.developer, running),
                    firstPage(ProjectRef.of(other.id()))),
                    "Authentication by CI/CD job token not allowed from acme/app to acme/other.");
        }
    }

    @Nested
    class PipelineJobs {
        private final Pipeline pipeline = f.pipeline();

        private PipelineJobsQuery query(Set<JobStatus> scope, boolean includeRetried, long page, int perPage) {
            return new PipelineJobsQuery(f.ref, pipeline.id(), scope, includeRetried,
                    new Pagination.Offset(page, perPage));
        }

        @Test
        void latestJobsNewestFirstWithATotal() {
            Job retried = f.data.insert(TestDataJobs.inStatus(f, pipeline,
                    io.jobyard.domain.job.JobSpec.simple("rspec", "test", 1), JobStatus.FAILED).retried(true));
            Job build = f.job(pipeline, "build", JobStatus.SUCCESS);
            Job retry = f.job(pipeline, "rspec", JobStatus.PENDING);
            f.job(f.pipeline(), "other pipeline", JobStatus.PENDING);

            JobPage latest = f.listJobs.listPipelineJobs(as(f.reporter), query(Set.of(), false, 1, 20));
            JobPage all = f.listJobs.listPipelineJobs(as(f.reporter), query(Set.of(), true, 1, 20));

            assertThat(ids(latest)).containsExactly(retry.id(), build.id());
            assertThat(latest.total()).isEqualTo(2);
            assertThat(ids(all)).containsExactly(retry.id(), build.id(), retried.id());
            assertThat(all.total()).isEqualTo(3);
        }

        @Test
        void pagesAndScopeAgreeWithTheTotal() {
            for (int i = 0; i < 5; i++) {
                f.job(pipeline, "ok" + i, JobStatus.SUCCESS);
            }
            f.job(pipeline, "bad", JobStatus.FAILED);

            JobPage first = f.listJobs.listPipelineJobs(as(f.reporter), query(Set.of(JobStatus.SUCCESS), false, 1, 2));
            JobPage last = f.listJobs.listPipelineJobs(as(f.reporter), query(Set.of(JobStatus.SUCCESS), false, 3, 2));

            assertThat(first.total()).isEqualTo(5);
            assertThat(first.jobs()).hasSize(2);
            assertThat(first.hasNext()).isTrue();
            assertThat(last.jobs()).hasSize(1);
            assertThat(last.hasNext()).isFalse();
        }

        @Test
        void aPipelineOfAnotherProjectOrNoneIsARecordMiss() {
            Pipeline foreign = f.data.pipeline(f.project("other", Visibility.PRIVATE, false), "main");
            Refusals.recordNotFound(() -> f.listJobs.listPipelineJobs(as(f.reporter),
                    new PipelineJobsQuery(f.ref, foreign.id(), Set.of(), false, new Pagination.Offset(1, 20))),
                    "Pipeline");
            Refusals.recordNotFound(() -> f.listJobs.listPipelineJobs(as(f.reporter),
                    new PipelineJobsQuery(f.ref, f.repos.pipelines().nextId(), Set.of(), false,
                            new Pagination.Offset(1, 20))), "Pipeline");
        }

        @Test
        void theAbilityIsCheckedBeforeThePipelineIsLookedUp() {
            Refusals.forbidden(() -> f.listJobs.listPipelineJobs(as(f.guest),
                    new PipelineJobsQuery(f.ref, f.repos.pipelines().nextId(), Set.of(), false,
                            new Pagination.Offset(1, 20))));
            Refusals.projectNotFound(() -> f.listJobs.listPipelineJobs(as(f.outsider), query(Set.of(), false, 1, 20)));
        }

        @Test
        void anonymousReadsThePipelineJobsOfAPublicProjectWithPublicPipelines() {
            Project open = f.project("open", Visibility.PUBLIC, true);
            Pipeline openPipeline = f.data.pipeline(open, "main");
            Job job = f.data.job(openPipeline, "build", JobStatus.SUCCESS);

            JobPage page = f.listJobs.listPipelineJobs(Actor.ANONYMOUS, new PipelineJobsQuery(
                    ProjectRef.of(open.id()), openPipeline.id(), Set.of(), false, new Pagination.Offset(1, 20)));

            assertThat(ids(page)).containsExactly(job.id());
        }
    }

    @Nested
    class FiltersAndTheChangeFeed {
        private final Pipeline pipeline = f.pipeline();

        private JobPage list(JobFilter filter, String username, JobOrdering ordering) {
            return f.listJobs.listProjectJobs(as(f.reporter),
                    new ProjectJobsQuery(f.ref, filter, username, ordering, Pagination.Keyset.first(20)));
        }

        @Test
        void aUsernameIsResolvedToItsUserAndAnUnknownOneMatchesNothing() {
            Job byDeveloper = f.job(pipeline, "rspec", JobStatus.SUCCESS);
            f.job(pipeline, JobSpec.simple("lint", "test", 1), JobStatus.SUCCESS, f.maintainer);

            assertThat(ids(list(JobFilter.ALL, f.developer.username(), JobOrdering.NEWEST_FIRST)))
                    .containsExactly(byDeveloper.id());
            assertThat(ids(list(JobFilter.ALL, "nobody", JobOrdering.NEWEST_FIRST))).isEmpty();
            assertThat(ids(list(JobFilter.builder().user(f.maintainer.id()).build(), f.developer.username(),
                    JobOrdering.NEWEST_FIRST))).as("username and user_id naming two people").isEmpty();
        }

        /**
         * The feed (updated_at ascending) holds back changes younger than the delay: a change stamped at T but
         * committed later is then still ahead of every reader. Other orders show everything at once.
         */
        @Test
        void theChangeFeedListsAChangeOnlyOnceItIsOlderThanTheDelay() {
            Job old = f.data.insert(f.data.jobBuilder(pipeline, "old").updatedAt(ServiceFixture.NOW.minusSeconds(60)));
            Job fresh = f.data.insert(f.data.jobBuilder(pipeline, "fresh")
                    .updatedAt(ServiceFixture.NOW.minusSeconds(2)));
            JobOrdering feed = new JobOrdering(JobOrder.UPDATED_AT, true);

            assertThat(ids(list(JobFilter.ALL, null, feed))).containsExactly(old.id());
            assertThat(ids(list(JobFilter.ALL, null, new JobOrdering(JobOrder.UPDATED_AT, false))))
                    .containsExactly(fresh.id(), old.id());
            assertThat(ids(list(JobFilter.builder().updatedBefore(ServiceFixture.NOW).build(), null, feed)))
                    .as("a later bound of the client's own does not lift the delay").containsExactly(old.id());

            f.clock.advance(ServiceFixture.CHANGE_FEED_DELAY);
            assertThat(ids(list(JobFilter.ALL, null, feed))).containsExactly(old.id(), fresh.id());
        }
    }
}
