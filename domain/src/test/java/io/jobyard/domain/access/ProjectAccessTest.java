package io.jobyard.domain.access;

import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract §0.7, the role → ability map, as tables: one row per kind of actor. Columns marked {@code Y} grant the
 * ability, {@code -} refuse it. "admin" is an instance administrator who is not a member; "non_member" a signed-in
 * user who is not a member.
 */
class ProjectAccessTest {

    private static final Instant T0 = JobFixtures.T0;
    private static final User ACTING_USER = user(JobFixtures.USER.value(), false);

    private static User user(long id, boolean admin) {
        return new User(UserId.of(id), "user" + id, "User " + id, "u" + id + "@example.com", admin, false,
                UserState.ACTIVE, T0);
    }

    private static Project project(Visibility visibility, boolean publicBuilds) {
        return new Project(ProjectId.of(1), "Project", "project", "group", visibility, publicBuilds, false, T0);
    }

    private static ProjectAccess access(String actor, Project project) {
        return switch (actor) {
            case "anonymous" -> new ProjectAccess(project, Actor.ANONYMOUS, null);
            case "non_member" -> new ProjectAccess(project, Actor.UserActor.withFullAccess(ACTING_USER), null);
            case "admin" -> new ProjectAccess(project, Actor.UserActor.withFullAccess(user(999, true)), null);
            default -> new ProjectAccess(project, Actor.UserActor.withFullAccess(ACTING_USER),
                    Role.valueOf(actor.toUpperCase(java.util.Locale.ROOT)));
        };
    }

    private static boolean yes(String cell) {
        return switch (cell) {
            case "Y" -> true;
            case "-" -> false;
            default -> throw new IllegalArgumentException(cell);
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # actor    | private | internal | public
            anonymous  | -       | -        | Y
            non_member | -       | Y        | Y
            guest      | Y       | Y        | Y
            reporter   | Y       | Y        | Y
            developer  | Y       | Y        | Y
            maintainer | Y       | Y        | Y
            owner      | Y       | Y        | Y
            admin      | Y       | Y        | Y
            """)
    void whoSeesTheProject(String actor, String privateProject, String internal, String publicProject) {
        assertThat(access(actor, project(Visibility.PRIVATE, false)).canReadProject()).isEqualTo(yes(privateProject));
        assertThat(access(actor, project(Visibility.INTERNAL, false)).canReadProject()).isEqualTo(yes(internal));
        assertThat(access(actor, project(Visibility.PUBLIC, false)).canReadProject()).isEqualTo(yes(publicProject));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # public_builds:  off       on     | off        on      | off       on
            # actor    | private | private+pb | internal | internal+pb | public | public+pb
            anonymous  | -       | -          | -        | -           | -      | Y
            non_member | -       | -          | -        | Y           | -      | Y
            guest      | -       | Y          | -        | Y           | -      | Y
            reporter   | Y       | Y          | Y        | Y           | Y      | Y
            developer  | Y       | Y          | Y        | Y           | Y      | Y
            maintainer | Y       | Y          | Y        | Y           | Y      | Y
            owner      | Y       | Y          | Y        | Y           | Y      | Y
            admin      | Y       | Y          | Y        | Y           | Y      | Y
            """)
    void readBuild(String actor, String priv, String privPb, String internal, String internalPb, String pub,
                   String pubPb) {
        assertReadBuild(actor, Visibility.PRIVATE, false, priv);
        assertReadBuild(actor, Visibility.PRIVATE, true, privPb);
        assertReadBuild(actor, Visibility.INTERNAL, false, internal);
        assertReadBuild(actor, Visibility.INTERNAL, true, internalPb);
        assertReadBuild(actor, Visibility.PUBLIC, false, pub);
        assertReadBuild(actor, Visibility.PUBLIC, true, pubPb);
    }

    private static void assertReadBuild(String actor, Visibility visibility, boolean publicBuilds, String cell) {
        ProjectAccess access = access(actor, project(visibility, publicBuilds));
        assertThat(access.canReadBuilds()).as("%s on %s, public_builds %s", actor, visibility, publicBuilds)
                .isEqualTo(yes(cell));
        assertThat(access.canReadPipelines()).isEqualTo(yes(cell));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # actor    | update_build | admin_build / maintainer_access | destroy_artifacts | retry, play, keep | archived job
            anonymous  | -            | -                               | -                 | -                 | -
            non_member | -            | -                               | -                 | -                 | -
            guest      | -            | -                               | -                 | -                 | -
            reporter   | -            | -                               | -                 | -                 | -
            developer  | Y            | -                               | -                 | Y                 | -
            maintainer | Y            | Y                               | Y                 | Y                 | -
            owner      | Y            | Y                               | Y                 | Y                 | -
            admin      | Y            | Y                               | Y                 | Y                 | -
            """)
    void writeAbilities(String actor, String update, String maintainer, String destroy, String act,
                        String actOnArchived) {
        // A public project with public pipelines: visibility must not grant any write ability.
        ProjectAccess access = access(actor, project(Visibility.PUBLIC, true));
        assertThat(access.canUpdateBuilds()).isEqualTo(yes(update));
        assertThat(access.isMaintainer()).isEqualTo(yes(maintainer));
        assertThat(access.canDestroyArtifacts()).isEqualTo(yes(destroy));
        assertThat(access.canActOnJob(false)).isEqualTo(yes(act));
        assertThat(access.canActOnJob(true)).isEqualTo(yes(actOnArchived));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # actor    | own job | someone else's job
            anonymous  | -       | -
            non_member | -       | -
            guest      | -       | -
            reporter   | -       | -
            developer  | Y       | -
            maintainer | Y       | Y
            owner      | Y       | Y
            admin      | Y       | Y
            """)
    void eraseBuild(String actor, String own, String others) {
        ProjectAccess access = access(actor, project(Visibility.PUBLIC, true));
        Job ownJob = JobFixtures.inStatus(JobStatus.SUCCESS); // user = JobFixtures.USER = the acting user
        Job othersJob = ownJob.toBuilder().userId(JobFixtures.OTHER_USER).build();
        Job nobodysJob = ownJob.toBuilder().userId(null).build();
        assertThat(access.canErase(ownJob)).isEqualTo(yes(own));
        assertThat(access.canErase(othersJob)).isEqualTo(yes(others));
        assertThat(access.canErase(nobodysJob)).isEqualTo(yes(others));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # on a public project with public pipelines
            # actor    | normal job | job in debug mode
            anonymous  | Y          | -
            non_member | Y          | -
            guest      | Y          | -
            reporter   | Y          | -
            developer  | Y          | Y
            maintainer | Y          | Y
            admin      | Y          | Y
            """)
    void readBuildTrace(String actor, String normal, String debug) {
        ProjectAccess access = access(actor, project(Visibility.PUBLIC, true));
        JobSpec spec = JobSpec.simple("build", "build", 0);
        assertThat(access.canReadTrace(JobFixtures.inStatus(JobStatus.SUCCESS, spec))).isEqualTo(yes(normal));
        assertThat(access.canReadTrace(JobFixtures.inStatus(JobStatus.SUCCESS, spec.withDebugTrace(true))))
                .isEqualTo(yes(debug));
    }

    @Test
    void withoutReadBuildThereIsNoTraceEvenForANormalJob() {
        ProjectAccess guest = access("guest", project(Visibility.PRIVATE, false));
        assertThat(guest.canReadTrace(JobFixtures.inStatus(JobStatus.SUCCESS))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # on a public project with public pipelines
            # actor    | public | private | maintainer | none
            anonymous  | Y      | -       | -          | -
            non_member | Y      | -       | -          | -
            guest      | Y      | -       | -          | -
            reporter   | Y      | -       | -          | -
            developer  | Y      | Y       | -          | -
            maintainer | Y      | Y       | Y          | -
            owner      | Y      | Y       | Y          | -
            admin      | Y      | Y       | Y          | -
            """)
    void readJobArtifacts(String actor, String pub, String priv, String maintainer, String none) {
        ProjectAccess access = access(actor, project(Visibility.PUBLIC, true));
        assertThat(access.canReadArtifacts(ArtifactAccessibility.PUBLIC)).isEqualTo(yes(pub));
        assertThat(access.canReadArtifacts(ArtifactAccessibility.PRIVATE)).isEqualTo(yes(priv));
        assertThat(access.canReadArtifacts(ArtifactAccessibility.MAINTAINER)).isEqualTo(yes(maintainer));
        assertThat(access.canReadArtifacts(ArtifactAccessibility.NONE)).isEqualTo(yes(none));
    }

    @Test
    void publicArtifactsNeedReadBuildFirst() {
        assertThat(access("anonymous", project(Visibility.PUBLIC, false))
                .canReadArtifacts(ArtifactAccessibility.PUBLIC)).isFalse();
        assertThat(access("guest", project(Visibility.PRIVATE, false))
                .canReadArtifacts(ArtifactAccessibility.PUBLIC)).isFalse();
        assertThat(access("reporter", project(Visibility.PRIVATE, false))
                .canReadArtifacts(ArtifactAccessibility.PUBLIC)).isTrue();
    }

    @ParameterizedTest(name = "{0}: own pipeline {1}, someone else's {2}")
    @CsvSource({
            "anonymous,  -, -",
            "non_member, -, -",
            "guest,      -, -",
            "reporter,   -, -",
            "developer,  Y, -",
            "maintainer, Y, Y",
            "owner,      Y, Y",
            "admin,      Y, Y"})
    void pipelineVariablesAreForMaintainersAndTheDeveloperWhoTriggeredThePipeline(String actor, String own,
                                                                                 String others) {
        ProjectAccess access = access(actor, project(Visibility.PUBLIC, true));
        UserId self = actor.equals("admin") ? UserId.of(999) : ACTING_USER.id();
        assertThat(access.canReadPipelineVariables(self)).isEqualTo(yes(own));
        assertThat(access.canReadPipelineVariables(UserId.of(4242))).isEqualTo(yes(others));
        assertThat(access.canReadPipelineVariables(null)).isEqualTo(yes(others));
    }

    @Test
    void anAnonymousActorNeverHasARoleEvenIfOneIsGiven() {
        ProjectAccess access = new ProjectAccess(project(Visibility.PRIVATE, false), Actor.ANONYMOUS, Role.OWNER);
        assertThat(access.canReadProject()).isFalse();
        assertThat(access.canUpdateBuilds()).isFalse();
    }

    @Test
    void aJobTokenActsAsTheJobsUserWithThatUsersRoleButCannotWrite() {
        Actor jobToken = new Actor.JobTokenActor(ACTING_USER, JobFixtures.inStatus(JobStatus.RUNNING));
        ProjectAccess developer = new ProjectAccess(project(Visibility.PRIVATE, false), jobToken, Role.DEVELOPER);
        assertThat(developer.canReadBuilds()).isTrue();
        assertThat(jobToken.user()).contains(ACTING_USER);
        assertThat(jobToken.canWrite()).isFalse();
        assertThat(new ProjectAccess(project(Visibility.PRIVATE, false), jobToken, null).canReadBuilds()).isFalse();
    }

    @Test
    void tokenScopesDecideWhetherAUserMayWrite() {
        assertThat(new Actor.UserActor(ACTING_USER, Set.of(TokenScope.API)).canWrite()).isTrue();
        assertThat(new Actor.UserActor(ACTING_USER, Set.of(TokenScope.READ_API)).canWrite()).isFalse();
        assertThat(Actor.ANONYMOUS.canWrite()).isFalse();
        assertThat(Actor.ANONYMOUS.isAdmin()).isFalse();
        assertThat(Actor.UserActor.withFullAccess(user(5, true)).isAdmin()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"10,GUEST", "20,REPORTER", "30,DEVELOPER", "40,MAINTAINER", "50,OWNER"})
    void rolesHaveGitLabsAccessLevels(int level, Role role) {
        assertThat(role.accessLevel()).isEqualTo(level);
        assertThat(Role.fromAccessLevel(level)).contains(role);
    }

    @Test
    void rolesAreOrdered() {
        assertThat(Role.DEVELOPER.atLeast(Role.REPORTER)).isTrue();
        assertThat(Role.DEVELOPER.atLeast(Role.DEVELOPER)).isTrue();
        assertThat(Role.DEVELOPER.atLeast(Role.MAINTAINER)).isFalse();
        assertThat(Role.fromAccessLevel(15)).isEmpty();
    }
}
