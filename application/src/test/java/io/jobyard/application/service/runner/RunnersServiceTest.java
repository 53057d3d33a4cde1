package io.jobyard.application.service.runner;

import io.jobyard.application.contract.TestData;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.TokenScope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.jobyard.application.service.runner.RunnerTestbed.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunnersServiceTest {
    private final RunnerTestbed bed = new RunnerTestbed();

    @Test
    void admin_creates_an_instance_runner_and_gets_its_token_once() {
        CreatedRunner created = bed.runners.create(as(bed.admin),
                new NewRunner(RunnerType.INSTANCE_TYPE, null, "shared docker", false, false, List.of("docker")));

        assertThat(created.token()).startsWith("glrt-").hasSizeGreaterThanOrEqualTo(25);
        Runner stored = bed.storedRunner(created);
        assertThat(stored.type()).isEqualTo(RunnerType.INSTANCE_TYPE);
        assertThat(stored.projectId()).isNull();
        assertThat(stored.description()).isEqualTo("shared docker");
        assertThat(stored.tags()).containsExactly("docker");
        assertThat(stored.runUntagged()).isFalse();
        assertThat(stored.active()).isTrue();
        assertThat(stored.createdAt()).isEqualTo(RunnerTestbed.NOW);
        // Only the digest is kept; the token itself appears nowhere in the record.
        assertThat(stored.tokenDigest()).isEqualTo(TestData.digest(created.token()));
        assertThat(stored.toString()).doesNotContain(created.token());
        assertThat(created.toString()).doesNotContain(created.token());
    }

    @Test
    void each_runner_gets_a_different_token() {
        assertThat(bed.untaggedRunner().token()).isNotEqualTo(bed.untaggedRunner().token());
    }

    @Test
    void only_an_admin_creates_instance_runners() {
        assertThatThrownBy(() -> bed.runners.create(as(bed.maintainer), NewRunner.instance("x", List.of())))
                .isInstanceOfSatisfying(ForbiddenException.class,
                        e -> assertThat(e.reason()).contains("Insufficient permissions"));
    }

    @Test
    void a_maintainer_creates_a_runner_for_their_project() {
        CreatedRunner created = bed.runners.create(as(bed.maintainer),
                NewRunner.project(bed.project.id(), "project runner", List.of("linux")));

        Runner stored = bed.storedRunner(created);
        assertThat(stored.type()).isEqualTo(RunnerType.PROJECT_TYPE);
        assertThat(stored.projectId()).isEqualTo(bed.project.id());
    }

    @Test
    void developers_and_outsiders_may_not_create_project_runners() {
        for (var user : List.of(bed.developer, bed.outsider)) {
            assertThatThrownBy(() -> bed.runners.create(as(user), NewRunner.project(bed.project.id(), "x", List.of())))
                    .isInstanceOfSatisfying(ForbiddenException.class,
                            e -> assertThat(e.reason()).contains("Insufficient permissions"));
        }
    }

    @Test
    void a_project_runner_needs_an_existing_project_and_group_runners_have_no_scope() {
        assertThatThrownBy(() -> bed.runners.create(as(bed.admin), NewRunner.project(ProjectId.of(9_999), "x", List.of())))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.reason()).contains("Missing/invalid scope"));
        assertThatThrownBy(() -> bed.runners.create(as(bed.admin),
                new NewRunner(RunnerType.PROJECT_TYPE, null, "x", false, true, List.of())))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.reason()).contains("Missing/invalid scope"));
        assertThatThrownBy(() -> bed.runners.create(as(bed.admin),
                new NewRunner(RunnerType.GROUP_TYPE, null, "x", false, true, List.of())))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.reason()).contains("Missing/invalid scope"));
    }

    @Test
    void anonymous_callers_are_unauthorized_and_read_only_tokens_forbidden() {
        assertThatThrownBy(() -> bed.runners.create(Actor.ANONYMOUS, NewRunner.instance("x", List.of())))
                .isInstanceOf(UnauthorizedException.class);
        Actor readOnly = new Actor.UserActor(bed.admin, Set.of(TokenScope.READ_API));
        assertThatThrownBy(() -> bed.runners.create(readOnly, NewRunner.instance("x", List.of())))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.reason()).isEmpty());
    }

    @Test
    void tags_are_trimmed_and_deduplicated_and_a_runner_without_tags_must_run_untagged_jobs() {
        CreatedRunner created = bed.instanceRunner(List.of(" docker ", "", "linux", "docker"), false);
        assertThat(bed.storedRunner(created).tags()).containsExactly("docker", "linux");

        assertThatThrownBy(() -> bed.instanceRunner(List.of(" "), false))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason())
                        .contains("Tags list can not be empty when runner is not allowed to pick untagged jobs"));
    }

    @Test
    void a_description_or_tag_too_long_is_the_services_bad_request_with_rails_full_message() {
        assertThatThrownBy(() -> bed.runners.create(as(bed.admin), new NewRunner(RunnerType.INSTANCE_TYPE, null,
                "d".repeat(2049), false, true, List.of())))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason())
                        .contains("Description is too long (maximum is 2048 characters)"));
        assertThatThrownBy(() -> bed.instanceRunner(List.of("t".repeat(256)), true))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.reason())
                        .contains("Tag list is too long (maximum is 255 characters)"));
    }

    @Test
    void a_runner_created_paused_is_inactive() {
        CreatedRunner created = bed.runners.create(as(bed.admin),
                new NewRunner(RunnerType.INSTANCE_TYPE, null, "x", true, true, List.of()));
        assertThat(bed.storedRunner(created).active()).isFalse();
    }

    @Test
    void verify_answers_the_runner_of_a_valid_token_only() {
        CreatedRunner created = bed.untaggedRunner();

        assertThat(bed.runners.verify(created.token()).id()).isEqualTo(created.runner().id());
        assertThatThrownBy(() -> bed.runners.verify(created.token() + "x")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.runners.verify("")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.runners.verify(null)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void delete_by_token_unregisters_the_runner() {
        CreatedRunner created = bed.untaggedRunner();
        CreatedRunner other = bed.untaggedRunner();

        bed.runners.delete(created.token());

        assertThat(bed.repos.runners().findById(created.runner().id())).isEmpty();
        assertThat(bed.repos.runners().findById(other.runner().id())).isPresent();
        assertThatThrownBy(() -> bed.runners.verify(created.token())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.request(created)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.runners.delete(created.token())).isInstanceOf(ForbiddenException.class);
    }

    // ------------------------------------------------------------------------------- delete and reset by id

    @Test
    void resetting_a_runners_token_cuts_the_old_one_off_at_once() {
        CreatedRunner created = bed.untaggedRunner();

        CreatedRunner reset = bed.runners.resetToken(as(bed.admin), created.runner().id());

        assertThat(reset.token()).startsWith("glrt-").isNotEqualTo(created.token());
        assertThat(reset.runner().id()).isEqualTo(created.runner().id());
        assertThat(bed.runners.verify(reset.token()).id()).isEqualTo(created.runner().id());
        assertThatThrownBy(() -> bed.runners.verify(created.token())).isInstanceOfSatisfying(ForbiddenException.class,
                e -> assertThat(e.guessedCredential()).contains(TestData.digest(created.token())));
        assertThat(bed.storedRunner(reset).tokenDigest()).isEqualTo(TestData.digest(reset.token()));
    }

    @Test
    void deleting_a_runner_by_id_cuts_its_token_off() {
        CreatedRunner created = bed.untaggedRunner();

        bed.runners.deleteById(as(bed.admin), created.runner().id());

        assertThatThrownBy(() -> bed.runners.verify(created.token())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.runners.deleteById(as(bed.admin), created.runner().id()))
                .isInstanceOfSatisfying(io.jobyard.domain.error.NotFoundException.class,
                        e -> assertThat(e.kind()).isEqualTo(io.jobyard.domain.error.NotFoundException.Kind.RECORD));
    }

    @Test
    void a_project_runner_is_managed_by_its_projects_maintainers_an_instance_runner_by_admins_only() {
        CreatedRunner instance = bed.untaggedRunner();
        CreatedRunner project = bed.runners.create(as(bed.maintainer),
                NewRunner.project(bed.project.id(), "mine", List.of()));

        for (Runnable refused : new Runnable[]{
                () -> bed.runners.resetToken(as(bed.maintainer), instance.runner().id()),
                () -> bed.runners.deleteById(as(bed.maintainer), instance.runner().id()),
                () -> bed.runners.resetToken(as(bed.developer), project.runner().id())}) {
            assertThatThrownBy(refused::run).isInstanceOfSatisfying(ForbiddenException.class,
                    e -> assertThat(e.reason()).contains(RunnersService.NO_ACCESS_GRANTED));
        }
        assertThatThrownBy(() -> bed.runners.deleteById(
                new Actor.UserActor(bed.admin, Set.of(TokenScope.READ_API)), instance.runner().id()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> bed.runners.deleteById(Actor.ANONYMOUS, instance.runner().id()))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(bed.runners.verify(instance.token()).id()).isEqualTo(instance.runner().id());

        bed.runners.deleteById(as(bed.maintainer), project.runner().id());
        assertThatThrownBy(() -> bed.runners.verify(project.token())).isInstanceOf(ForbiddenException.class);
    }
}
