package io.jobyard.domain.pipeline.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** GitLab's message shape: location, ActiveModel's humanized attribute, the whole lower-cased. */
class LintMessageTest {

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            jobs:Build     | config       | contains unknown keys: Foo | jobs:build config contains unknown keys: foo
            jobs:build     | start_in     | must be blank              | jobs:build start in must be blank
            jobs:build     | allow_failure| should be a hash           | jobs:build allow failure should be a hash
            jobs           | My_Job       | config should implement x  | jobs my_job config should implement x
            jobs           | deploy.prod  | config should implement x  | jobs prod config should implement x
            jobs           | build_id     | config should implement x  | jobs build config should implement x
            jobs           | job 1        | config should implement x  | jobs job 1 config should implement x
            """)
    void wordsAnErrorLikeGitLab(String location, String attribute, String message, String expected) {
        assertThat(LintMessage.attribute(location, attribute, message)).isEqualTo(expected);
    }
}
