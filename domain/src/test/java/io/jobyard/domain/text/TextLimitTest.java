package io.jobyard.domain.text;

import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.artifact.JobArtifact;
import io.jobyard.domain.error.TextTooLongException;
import io.jobyard.domain.fixtures.JobFixtures;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.ProjectHook;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.runner.RunnerType;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bounded text is checked where its value is made: each record takes a value of exactly its limit and refuses
 * one character more with {@link TextTooLongException} naming the attribute — never a database error later.
 */
class TextLimitTest {
    private static final Instant T0 = JobFixtures.T0;
    private static final OffsetDateTime WHEN = T0.atOffset(ZoneOffset.UTC);
    private static final String SHA = "a".repeat(40);

    /** One record construction per limit, with the text to test in the limited place. */
    private static Map<TextLimit, Function<String, Object>> makers() {
        Map<TextLimit, Function<String, Object>> makers = new LinkedHashMap<>();
        makers.put(TextLimit.PROJECT_NAME, text -> project(text, "app", "acme"));
        makers.put(TextLimit.PROJECT_PATH, text -> project("App", text, "acme"));
        makers.put(TextLimit.NAMESPACE_PATH, text -> project("App", "app", text));
        makers.put(TextLimit.USERNAME, text -> user(text, "Dev", "dev@example.com"));
        makers.put(TextLimit.USER_NAME, text -> user("dev", text, "dev@example.com"));
        makers.put(TextLimit.EMAIL, text -> user("dev", "Dev", text));
        makers.put(TextLimit.TOKEN_NAME, text -> new AccessToken(1, UserId.of(1), text, "digest",
                EnumSet.of(TokenScope.API), null, false, T0));
        makers.put(TextLimit.RUNNER_DESCRIPTION, text -> runner(text, List.of()));
        makers.put(TextLimit.RUNNER_TAG, text -> runner("", List.of("docker", text)));
        makers.put(TextLimit.REF, text -> pipeline(text, Commit.ofSha(SHA, WHEN)));
        makers.put(TextLimit.AUTHOR_NAME, text -> new Commit(SHA, "t", "m", text, null, WHEN, null, null, WHEN,
                List.of()));
        makers.put(TextLimit.AUTHOR_EMAIL, text -> new Commit(SHA, "t", "m", null, text, WHEN, null, null, WHEN,
                List.of()));
        makers.put(TextLimit.COMMITTER_NAME, text -> new Commit(SHA, "t", "m", null, null, WHEN, text, null, WHEN,
                List.of()));
        makers.put(TextLimit.COMMITTER_EMAIL, text -> new Commit(SHA, "t", "m", null, null, WHEN, null, text, WHEN,
                List.of()));
        makers.put(TextLimit.JOB_NAME, text -> JobSpec.simple(text, "test", 0));
        makers.put(TextLimit.STAGE, text -> JobSpec.simple("build", text, 0));
        makers.put(TextLimit.RESOURCE_GROUP, text -> JobSpec.simple("build", "test", 0).withResourceGroup(text));
        makers.put(TextLimit.IMAGE, text -> new JobExecution(text, List.of(), List.of(), List.of("make"), List.of(),
                null, null, null));
        makers.put(TextLimit.VARIABLE_KEY, text -> JobVariable.of(text, "value"));
        makers.put(TextLimit.ARTIFACT_FILENAME, text -> new JobArtifact(ArtifactId.of(1), JobId.of(1),
                ProjectId.of(1), ArtifactFileType.ARCHIVE, ArtifactFormat.ZIP, text, 10, null, null, false,
                ArtifactAccessibility.PUBLIC, "key", T0));
        makers.put(TextLimit.PROJECT_DESCRIPTION, text -> project("App", "app", "acme")
                .withFacts(text, null, null));
        makers.put(TextLimit.DEFAULT_BRANCH, text -> project("App", "app", "acme").withFacts(null, text, null));
        makers.put(TextLimit.REPOSITORY_URL, text -> new RepositoryUrl("https://h/" + text.substring(10)));
        makers.put(TextLimit.HOOK_URL, text -> hook("https://h/" + text.substring(10), null, null, null, null));
        makers.put(TextLimit.HOOK_TOKEN, text -> hook("https://h/", text, null, null, null));
        makers.put(TextLimit.HOOK_NAME, text -> hook("https://h/", null, text, null, null));
        makers.put(TextLimit.HOOK_DESCRIPTION, text -> hook("https://h/", null, null, text, null));
        makers.put(TextLimit.HOOK_BRANCH_FILTER, text -> hook("https://h/", null, null, null, text));
        return makers;
    }

    private static ProjectHook hook(String url, String token, String name, String description, String filter) {
        return new ProjectHook(HookId.of(1), ProjectId.of(1), url, token, name, description, Set.of(), true, filter,
                "wildcard", 0, null, T0);
    }

    @Test
    void everyLimitIsCheckedWhereItsValueIsMade() {
        assertThat(makers().keySet()).containsExactlyInAnyOrder(TextLimit.values());
        makers().forEach((limit, maker) -> {
            String longest = limit == TextLimit.NAMESPACE_PATH ? namespaceOf(limit.maxLength())
                    : "x".repeat(limit.maxLength());
            assertThat(maker.apply(longest)).as(limit + " at its limit").isNotNull();
            assertThatThrownBy(() -> maker.apply(longest + "x"))
                    .as(limit + " one over")
                    .isInstanceOfSatisfying(TextTooLongException.class, e -> {
                        assertThat(e.maximum()).isEqualTo(limit.maxLength());
                        assertThat(e.problem()).isEqualTo("is too long (maximum is " + limit.maxLength()
                                + " characters)");
                    });
        });
    }

    @Test
    void lengthsAreCountedInUtf16UnitsAsH2CountsThem() {
        String emoji = "\uD83D\uDE00";
        assertThat(TextLimit.USER_NAME.fits(emoji.repeat(127) + "x")).isTrue();
        assertThat(TextLimit.USER_NAME.fits(emoji.repeat(128))).isFalse();
    }

    @Test
    void theErrorNamesTheAttributeAsTheRequestDid() {
        TextTooLongException e = (TextTooLongException) catchThrowable(
                () -> TextLimit.VARIABLE_KEY.require("K".repeat(256), "variables[0][key]"));
        assertThat(e.attribute()).isEqualTo("variables[0][key]");
        assertThat(e.getMessage()).isEqualTo("variables[0][key] is too long (maximum is 255 characters)");
        assertThat(new TextTooLongException("author_name", 1024).fullMessage())
                .isEqualTo("Author name is too long (maximum is 1024 characters)");
        assertThat(TextLimit.REF.require(null)).isNull();
    }

    @Test
    void aJobReadWithAnOverLongRefIsRefusedToo() {
        assertThatThrownBy(() -> Job.create(JobId.of(1), ProjectId.of(1), PipelineId.of(1),
                JobSpec.simple("build", "test", 0), "r".repeat(1025), false, null, T0))
                .isInstanceOf(TextTooLongException.class).hasMessageStartingWith("ref ");
    }

    /** Path segments of at most 101 characters, {@code length} in all. */
    private static String namespaceOf(int length) {
        String path = ("p".repeat(100) + "/").repeat(length / 101 + 1).substring(0, length);
        return path.endsWith("/") ? path.substring(0, length - 1) + "p" : path;
    }

    private static Throwable catchThrowable(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Project project(String name, String path, String namespace) {
        return new Project(ProjectId.of(1), name, path, namespace, Visibility.PRIVATE, true, false, T0);
    }

    private static User user(String username, String name, String email) {
        return new User(UserId.of(1), username, name, email, false, false, UserState.ACTIVE, T0);
    }

    private static Runner runner(String description, List<String> tags) {
        return new Runner(RunnerId.of(1), description, RunnerType.INSTANCE_TYPE, null, true, tags, true, false,
                "digest", T0, null);
    }

    private static Pipeline pipeline(String ref, Commit commit) {
        return new Pipeline(PipelineId.of(1), 1, ProjectId.of(1), ref, false, commit, PipelineSource.API,
                JobStatus.CREATED, List.of("test"), List.of(), null, T0, T0, null, null, 0);
    }
}
