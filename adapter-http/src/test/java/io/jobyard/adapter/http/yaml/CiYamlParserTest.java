package io.jobyard.adapter.http.yaml;

import io.jobyard.domain.pipeline.config.CiConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CiYamlParserTest {
    private final CiYamlParser parser = new CiYamlParser();

    @Test
    void parsesAConfigurationIntoPlainValues() {
        Map<String, Object> root = parser.parse("""
                stages: [build, test]
                build:
                  stage: build
                  script:
                    - make
                  retry: 2
                  allow_failure: true
                """);

        assertThat(root).containsEntry("stages", List.of("build", "test"));
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) root.get("build");
        assertThat(build).containsEntry("script", List.of("make")).containsEntry("retry", 2)
                .containsEntry("allow_failure", true);
    }

    @Test
    void namesTheLineWhereTheBrokenConstructBegins() {
        // As Psych does for GitLab: the opening bracket, not the end of the text where the problem is noticed.
        assertThatThrownBy(() -> parser.parse("build:\n  script: [make\n  stage: test\n"))
                .isInstanceOf(CiConfigException.class)
                .hasMessageEndingWith("while parsing a flow sequence at line 2 column 11");
        assertThatThrownBy(() -> parser.parse("stages: [build]\nbuild:\n  script: [make\n"))
                .isInstanceOf(CiConfigException.class)
                .hasMessageEndingWith("at line 3 column 11");
    }

    @Test
    void namesTheLineOfAProblemWithoutAContext() {
        assertThatThrownBy(() -> parser.parse("build:\n\tscript: [make]\n"))
                .isInstanceOf(CiConfigException.class)
                .hasMessageEndingWith("while scanning for the next token at line 2 column 1");
    }

    @Test
    void refusesADocumentThatIsNotAMapping() {
        assertThatThrownBy(() -> parser.parse("- just\n- a list\n"))
                .isInstanceOf(CiConfigException.class)
                .hasMessage("Invalid configuration format");
    }

    @Test
    void refusesEmptyContent() {
        assertThatThrownBy(() -> parser.parse("  \n"))
                .isInstanceOf(CiConfigException.class)
                .hasMessage("Please provide content of .gitlab-ci.yml");
    }

    @Test
    void refusesDuplicateKeys() {
        assertThatThrownBy(() -> parser.parse("a: 1\na: 2\n")).isInstanceOf(CiConfigException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void refusesCustomTagsThatWouldInstantiateClasses() {
        assertThatThrownBy(() -> parser.parse("a: !!javax.script.ScriptEngineManager []\n"))
                .isInstanceOf(CiConfigException.class);
    }

    @Test
    void refusesAliasBombs() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 15; level++) {
            char name = (char) ('a' + level);
            char previous = (char) ('a' + level - 1);
            bomb.append(name).append(": &").append(name).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
        }
        assertThatThrownBy(() -> parser.parse(bomb.toString())).isInstanceOf(CiConfigException.class);
    }

    @Test
    void refusesAliasBombsWithinTheAliasLimit() {
        // 10 levels of 9 aliases: 90 aliases, under SnakeYAML's limit of 100, expanding to 9^10 elements
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 10; level++) {
            char name = (char) ('a' + level);
            char previous = (char) ('a' + level - 1);
            bomb.append(name).append(": &").append(name).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
        }
        // GitLab's own spec of this bomb (spec/lib/gitlab/config/loader/yaml_spec.rb) expects the same words
        assertThatThrownBy(() -> parser.parse(bomb.toString())).isInstanceOfSatisfying(CiConfigException.class,
                e -> assertThat(e.errors()).containsExactly("The parsed YAML is too big"));
    }

    @Test
    void textOfMoreBytesThanTheLimitIsRefusedBeforeItIsParsed() {
        CiYamlParser small = new CiYamlParser(1000, 100);
        // bytes, not characters: 4 + 400 + 2 + 2 + 592 = 1000 bytes in 800 characters; a comment is no parsed size
        String multiByte = "a: '" + "\u00e9".repeat(200) + "'\n# " + "x".repeat(592);
        assertThat(small.parse(multiByte)).containsKey("a");
        assertThatThrownBy(() -> small.parse(multiByte + "x"))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.errors()).containsExactly("The provided YAML is too big"));
        // not even a syntax error is looked for: the text is not parsed
        assertThatThrownBy(() -> small.parse("[" + "x".repeat(1000)))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.errors()).containsExactly("The provided YAML is too big"));
    }

    @Test
    void aParsedDocumentLargerThanTheLimitIsTooBigThoughItsTextIsNot() {
        CiYamlParser small = new CiYamlParser(10_000, 100);
        StringBuilder jobs = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            jobs.append("j").append(i).append(": {script: [x]}\n");
        }
        assertThat(jobs.length()).isLessThan(2_000);
        assertThatThrownBy(() -> small.parse(jobs.toString()))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.errors()).containsExactly("The parsed YAML is too big"));
        assertThat(small.parse("j0: {script: [x]}\n")).containsKey("j0");
    }

    @Test
    void nestingDeeperThanTheLimitIsTooBigWithGitLabsWords() {
        String hundredLevels = "a: " + "[".repeat(99) + "]".repeat(99);
        assertThat(parser.parse(hundredLevels)).containsKey("a");
        assertThatThrownBy(() -> parser.parse("a: " + "[".repeat(100) + "]".repeat(100)))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.errors()).containsExactly("The parsed YAML is too big"));
        assertThatThrownBy(() -> new CiYamlParser(1 << 20, 3).parse("a: {b: {c: [x]}}"))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.errors()).containsExactly("The parsed YAML is too big"));
        assertThat(new CiYamlParser(1 << 20, 3).parse("a: {b: [x]}")).containsKey("a");
    }

    @Test
    void aliasesCountAtEveryUseAsGitLabsDeepSizeCountsThem() {
        CiYamlParser small = new CiYamlParser(5_000, 100);
        String anchor = "base: &base {script: [" + "x".repeat(1000) + "]}\n";
        assertThat(small.parse(anchor + "a: *base\nb: *base\n")).containsKeys("a", "b");
        assertThatThrownBy(() -> small.parse(anchor + "a: *base\nb: *base\nc: *base\nd: *base\ne: *base\n"))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.errors()).containsExactly("The parsed YAML is too big"));
    }

    @Test
    void nullCharactersAndUnpairedSurrogatesAreRefused() {
        for (String escape : new String[]{"\\0", "\\ud800", "\\x00"}) {
            assertThatThrownBy(() -> parser.parse("build: {script: [\"a" + escape + "b\"]}"))
                    .as(escape)
                    .isInstanceOfSatisfying(CiConfigException.class, e -> assertThat(e.errors()).containsExactly(
                            "Invalid configuration format: a string contains a null character or invalid Unicode"));
        }
    }

    @Test
    void refusesACollectionThatContainsItself() {
        // found by fuzzing: every later step walks the document as a tree and overflowed the stack (a 500)
        assertThatThrownBy(() -> parser.parse("a: &a [*a]\nbuild: {script: [x]}"))
                .isInstanceOfSatisfying(CiConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        "Invalid configuration format: an alias refers to a collection that contains it"));
    }
}
