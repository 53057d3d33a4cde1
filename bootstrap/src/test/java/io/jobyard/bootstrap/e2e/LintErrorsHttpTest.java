package io.jobyard.bootstrap.e2e;

import io.jobyard.bootstrap.e2e.HttpApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 6, "lint errors", through {@code POST /projects/:id/pipeline} on a running server: the YAML text as a client
 * sends it, parsed and compiled by the server, refused with 400 {@code {"message":{"base":[<first error>]}}} as
 * GitLab's pipeline creation answers. The compiler's full table lives in the domain's {@code CiConfigLintErrorsTest};
 * this one covers what only the whole path shows: YAML syntax and shapes, and the named refusals (unknown
 * keyword, undeclared stage, needs cycle, dangling need) arriving as text. A refused configuration creates nothing.
 * YAML syntax errors keep GitLab's frame ({@code (<unknown>): <problem> <context> at line L column C}, the line where
 * the broken construct begins, as Psych reports it); the problem's wording is SnakeYAML's, not libyaml's.
 */
class LintErrorsHttpTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    static Path dir;

    private static ServerUnderTest server;
    private static long project;

    @BeforeAll
    static void start() {
        server = new ServerUnderTest(dir);
        project = server.api().json("POST", "/projects", server.adminToken(),
                Map.of("name", "lint", "namespace_path", "acme")).json().get("id").asLong();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> brokenConfigurations() {
        return Stream.of(
                // YAML that is not a configuration at all.
                arguments("unclosed flow sequence", """
                        stages: [build]
                        build:
                          script: [make
                        """, "(<unknown>): expected ',' or ']', but got <stream end> while parsing a flow sequence "
                        + "at line 3 column 11"),
                arguments("a tab in the indentation", "build:\n\tscript: [make]\n",
                        "(<unknown>): found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for "
                        + "indentation) while scanning for the next token at line 2 column 1"),
                arguments("a key twice", """
                        build:
                          script: [make]
                        build:
                          script: [make again]
                        """, "(<unknown>): found duplicate key build while constructing a mapping at line 3 column 1"),
                arguments("a list, not a mapping", "- build\n- test\n", "Invalid configuration format"),
                arguments("a plain scalar", "just some text\n", "Invalid configuration format"),
                arguments("blank text", "   \n", "Please provide content of .gitlab-ci.yml"),
                arguments("a key that is no string", "1: {script: [make]}\n",
                        "Invalid configuration format: keys must be strings, found 1"),
                arguments("an unknown tag", "build: !ruby/object:Foo {script: [make]}\n",
                        "(<unknown>): could not determine a constructor for the tag !ruby/object:Foo at line 1 column 8"),

                // The named refusals, and a few more from YAML text.
                arguments("unknown keyword", """
                        build:
                          script: [make]
                          foo: 1
                        """, "jobs:build config contains unknown keys: foo"),
                arguments("undeclared stage", """
                        stages: [build, test]
                        package:
                          stage: deploy
                          script: [make package]
                        """, "package job: chosen stage deploy does not exist; available stages are .pre, build, "
                        + "test, .post"),
                arguments("needs cycle", """
                        a: {script: [x], needs: [b]}
                        b: {script: [x], needs: [c]}
                        c: {script: [x], needs: [a]}
                        """, "The pipeline has circular dependencies: topological sort failed: [\"a\", \"b\", \"c\"]"),
                arguments("dangling need", """
                        build: {stage: build, script: [make]}
                        test: {stage: test, script: [make test], needs: [compile]}
                        """, "test job: undefined need: compile"),
                arguments("need in a later stage", """
                        build: {stage: build, script: [make], needs: [test]}
                        test: {stage: test, script: [make test]}
                        """, "build job: need test is not defined in current or prior stages"),
                arguments("delayed without start_in", """
                        deploy: {script: [make deploy], when: delayed}
                        """, "jobs:deploy start in should be a duration"),
                arguments("retry over 2", """
                        test: {script: [make test], retry: 3}
                        """, "retry config must be less than or equal to 2"),
                arguments("extends an unknown template", """
                        test: {extends: .base, script: [make test]}
                        """, "test: unknown keys in `extends` (.base)"),
                arguments("a job without script", """
                        build: {stage: build}
                        """, "jobs build config should implement the script:, run:, or trigger: keyword"),
                arguments("only hidden jobs", """
                        .template: {script: [make]}
                        """, "jobs config should contain at least one visible job"),
                arguments("a keyword Jobyard does not run", """
                        build: {script: [make], rules: [{when: always}]}
                        """, "jobs:build config contains keywords Jobyard does not support: rules"),
                arguments("anchors are YAML, the error is still the job's", """
                        .defaults: &defaults
                          tags: linux
                        build:
                          <<: *defaults
                          script: [make]
                        """, "jobs:build:tags config should be an array of strings"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigurations")
    void refusesWithGitLabsMessage(String description, String ciConfig, String message) {
        Response refused = server.api().json("POST", "/projects/" + project + "/pipeline", server.adminToken(),
                Map.of("ref", "main", "sha", SHA, "ci_config", ciConfig));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).isEqualTo("application/json");
        assertThat(refused.json().at("/message/base")).hasSize(1);
        assertThat(refused.json().at("/message/base/0").asText()).isEqualTo(message);
        assertThat(refused.json().get("message").size()).isEqualTo(1);
        assertThat(server.api().get("/projects/" + project + "/jobs", server.adminToken()).text()).isEqualTo("[]");
    }
}
