package io.jobyard.domain.pipeline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 6, "Lint errors": broken configurations and the exact messages GitLab's lint gives for them, in its order.
 * The wording comes from gitlabhq/gitlabhq ({@code lib/gitlab/ci/config/entry/*.rb}, {@code lib/gitlab/config/entry/
 * validators.rb}, {@code lib/gitlab/ci/config/extendable/entry.rb}, {@code lib/gitlab/ci/yaml_processor.rb}) and the
 * expectations of its specs; the "Jobyard does not support" lines are Jobyard's own refusals.
 */
class CiConfigLintErrorsTest {

    private static final String STAGES = "available stages are .pre, build, test, deploy, .post";
    private static final String WHEN = "should be one of: on_success, on_failure, always, manual, delayed";
    private static final String IMPLEMENT = "config should implement the script:, run:, or trigger: keyword";

    static Stream<Arguments> brokenConfigurations() {
        return Stream.of(
                // Unknown keywords, and keywords GitLab knows but Jobyard does not run.
                broken("unknown job keyword",
                        "{'build': {'script': 'echo', 'foo': 1}}",
                        "jobs:build config contains unknown keys: foo"),
                broken("unknown keywords are listed in configuration order, names lower-cased",
                        "{'Build': {'Zed': 1, 'script': 'echo', 'Foo': 2}}",
                        "jobs:build config contains unknown keys: zed, foo"),
                broken("a job's own error hides the errors of its entries",
                        "{'build': {'script': 'echo', 'foo': 1, 'tags': 'linux'}}",
                        "jobs:build config contains unknown keys: foo"),
                broken("unsupported job keywords",
                        "{'build': {'script': 'echo', 'cache': {'paths': ['x']}, 'rules': [{'when': 'always'}]}}",
                        "jobs:build config contains keywords Jobyard does not support: cache, rules"),
                broken("unknown and unsupported job keywords",
                        "{'build': {'script': 'echo', 'foo': 1, 'parallel': 2}}",
                        "jobs:build config contains unknown keys: foo",
                        "jobs:build config contains keywords Jobyard does not support: parallel"),
                broken("unsupported top-level keywords stop everything else",
                        "{'workflow': {'rules': []}, 'include': 'x.yml', 'build': {'script': 'echo', 'foo': 1}}",
                        "root config contains keywords Jobyard does not support: workflow, include"),
                broken("trigger jobs",
                        "{'deploy': {'trigger': 'group/project'}}",
                        "jobs:deploy config contains keywords Jobyard does not support: trigger"),
                broken("unknown default keyword",
                        "{'default': {'foo': 1}, 'build': {'script': 'echo'}}",
                        "default config contains unknown keys: foo"),
                broken("unsupported default keyword",
                        "{'default': {'cache': {'paths': ['x']}}, 'build': {'script': 'echo'}}",
                        "default config contains keywords Jobyard does not support: cache"),

                // Jobs that are not jobs.
                broken("no job at all",
                        "{}",
                        "jobs config should contain at least one visible job"),
                broken("only hidden jobs",
                        "{'before_script': ['bundle'], '.hidden': {'script': 'ls'}}",
                        "jobs config should contain at least one visible job"),
                broken("a job without script (gitlab's lint controller spec)",
                        "{'rubocop': {'scriptt': ['bundle exec rubocop']}}",
                        "jobs rubocop " + IMPLEMENT,
                        "jobs config should contain at least one visible job"),
                broken("a job name keeps its underscores",
                        "{'my_job': {'stage': 'build'}, 'ok': {'script': 'echo'}}",
                        "jobs my_job " + IMPLEMENT),
                broken("a top-level value that is no job",
                        "{'extra': 'bundle update', 'ok': {'script': 'echo'}}",
                        "jobs extra " + IMPLEMENT),
                broken("a blank script",
                        "{'build': {'script': []}}",
                        "jobs:build script can't be blank"),
                broken("a script that is not strings",
                        "{'build': {'script': 42}}",
                        "jobs:build:script config should be a string or a nested array of strings up to 10 levels deep"),
                broken("a before_script that is not strings",
                        "{'rspec': {'script': 'test', 'before_script': [10, 'test']}}",
                        "jobs:rspec:before_script config should be a string or a nested array of strings up to 10 "
                                + "levels deep"),
                broken("an empty hidden job",
                        "{'.template': null, 'build': {'script': 'echo'}}",
                        "jobs:.template config can't be blank"),
                broken("a job name over 255 characters",
                        "{'" + "a".repeat(256) + "': {'script': 'echo'}}",
                        "jobs:" + "a".repeat(256) + " name is too long (maximum is 255 characters)"),

                // Keyword values.
                broken("when outside the list",
                        "{'build': {'script': 'echo', 'when': 'never'}}",
                        "jobs:build when " + WHEN),
                broken("when not a string",
                        "{'rspec': {'script': 'test', 'when': 1}}",
                        "jobs:rspec when should be a string",
                        "jobs:rspec when " + WHEN),
                broken("delayed without start_in",
                        "{'build': {'script': 'echo', 'when': 'delayed'}}",
                        "jobs:build start in should be a duration",
                        "jobs:build start in should not exceed the limit"),
                broken("start_in over a week",
                        "{'build': {'script': 'echo', 'when': 'delayed', 'start_in': '8 days'}}",
                        "jobs:build start in should not exceed the limit"),
                broken("start_in without delayed",
                        "{'build': {'script': 'echo', 'start_in': '1 minute'}}",
                        "jobs:build start in must be blank"),
                broken("allow_failure of another type",
                        "{'rspec': {'script': 'test', 'allow_failure': 'string'}}",
                        "jobs:rspec allow failure should be a hash or a boolean value"),
                broken("allow_failure exit codes that are not integers",
                        "{'rspec': {'script': 'test', 'allow_failure': {'exit_codes': 'string'}}}",
                        "jobs:rspec:allow_failure exit codes should be an array of integers or an integer",
                        "jobs:rspec:allow_failure config contains keywords Jobyard does not support: exit_codes"),
                broken("a stage that is not a string",
                        "{'rspec': {'script': 'test', 'stage': 1}}",
                        "jobs:rspec:stage config should be a string"),
                broken("tags that are a string",
                        "{'rspec': {'script': 'test', 'tags': 'mysql'}}",
                        "jobs:rspec:tags config should be an array of strings"),
                broken("an image of another type",
                        "{'rspec': {'script': 'test', 'image': ['test']}}",
                        "jobs:rspec:image config should be a hash or a string",
                        "jobs:rspec:image name should be a string",
                        "jobs:rspec:image name can't be blank"),
                broken("an image entrypoint",
                        "{'rspec': {'script': 'test', 'image': {'name': 'ruby', 'entrypoint': ['']}}}",
                        "jobs:rspec:image config contains keywords Jobyard does not support: entrypoint"),
                broken("services that are a string",
                        "{'rspec': {'script': 'test', 'services': 'test'}}",
                        "jobs:rspec:services config should be a array"),
                broken("a service that is a number",
                        "{'rspec': {'script': 'test', 'services': [10, 'test']}}",
                        "jobs:rspec:services:service config should be a hash or a string",
                        "jobs:rspec:services:service name should be a string",
                        "jobs:rspec:services:service name can't be blank"),
                broken("a timeout that is no duration",
                        "{'build': {'script': 'echo', 'timeout': 'forever'}}",
                        "jobs:build:timeout config should be a duration",
                        "jobs:build:timeout config should not exceed the limit"),
                broken("a timeout over a month",
                        "{'build': {'script': 'echo', 'timeout': '31 days'}}",
                        "jobs:build:timeout config should not exceed the limit"),
                broken("a resource group that is not a string",
                        "{'build': {'script': 'echo', 'resource_group': 1}}",
                        "jobs:build resource group should be a string"),
                broken("a coverage that is no regular expression",
                        "{'build': {'script': 'echo', 'coverage': 'Total: 42%'}}",
                        "jobs:build:coverage config must be a regular expression with re2 syntax"),
                broken("interruptible that is not a boolean",
                        "{'.base': {'script': 'echo'}, 'build': {'extends': ['.base'], 'script': 'echo', "
                                + "'interruptible': 'yes'}}",
                        "jobs:build:interruptible config should be a boolean value"),

                // Retry, located at "retry" as GitLab does.
                broken("retry over 2",
                        "{'build': {'script': 'echo', 'retry': 3}}",
                        "retry config must be less than or equal to 2"),
                broken("retry of another type",
                        "{'build': {'script': 'echo', 'retry': 'twice'}}",
                        "retry config has to be either an integer or a hash"),
                broken("retry for an unknown reason",
                        "{'build': {'script': 'echo', 'retry': {'max': 1, 'when': ['script_failure', 'bad_luck']}}}",
                        "retry when contains unknown values: bad_luck"),
                broken("retry max over 2",
                        "{'build': {'script': 'echo', 'retry': {'max': 5, 'foo': 1}}}",
                        "retry config contains unknown keys: foo",
                        "retry max must be less than or equal to 2"),
                broken("retry by exit code",
                        "{'build': {'script': 'echo', 'retry': {'max': 1, 'exit_codes': [137]}}}",
                        "retry config contains keywords Jobyard does not support: exit_codes"),

                // Variables.
                broken("top-level variables that are not a hash",
                        "{'variables': 'test', 'rspec': {'script': 'test'}}",
                        "variables config should be a hash"),
                broken("a variable that is a boolean",
                        "{'variables': {'test': true}, 'rspec': {'script': 'test'}}",
                        "variable definition must be either a string or a hash"),
                broken("a job variable with a description",
                        "{'build': {'script': 'echo', 'variables': {'FOO': {'value': '1', 'description': 'd'}}}}",
                        "jobs:build:variables:foo config uses invalid data keys: description"),
                broken("a variable value that is a list",
                        "{'variables': {'FOO': {'value': ['a']}}, 'build': {'script': 'echo'}}",
                        "variables:foo config value must be an alphanumeric string"),
                broken("a variable key Jobyard cannot carry",
                        "{'variables': {'MY-VAR': '1'}, 'build': {'script': 'echo'}}",
                        "variables:my-var key can contain only letters, digits and '_'."),

                // Artifacts.
                broken("an artifacts name that is not a string",
                        "{'rspec': {'script': 'test', 'artifacts': {'name': 1}}}",
                        "jobs:rspec:artifacts name should be a string"),
                broken("artifacts when not a string",
                        "{'rspec': {'script': 'test', 'artifacts': {'when': 1}}}",
                        "jobs:rspec:artifacts when should be a string",
                        "jobs:rspec:artifacts when should be one of: on_success, on_failure, always"),
                broken("an artifacts expire_in that is no duration",
                        "{'rspec': {'script': 'test', 'artifacts': {'expire_in': '7 elephants'}}}",
                        "jobs:rspec:artifacts expire in should be a duration"),
                broken("artifacts untracked not a boolean",
                        "{'rspec': {'script': 'test', 'artifacts': {'untracked': 'string'}}}",
                        "jobs:rspec:artifacts untracked should be a boolean value"),
                broken("artifacts public and access together",
                        "{'rspec': {'script': 'test', 'artifacts': {'public': false, 'access': 'none'}}}",
                        "jobs:rspec:artifacts config these keys cannot be used together: public, access"),
                broken("an unknown artifacts access",
                        "{'rspec': {'script': 'test', 'artifacts': {'access': 'owner'}}}",
                        "jobs:rspec:artifacts access should be one of: none, developer, maintainer, all"),
                broken("an unknown report type",
                        "{'rspec': {'script': 'test', 'artifacts': {'reports': {'junit': 'a.xml', 'foo': 'b'}}}}",
                        "jobs:rspec:artifacts:reports config contains unknown keys: foo"),
                broken("a report that is not paths",
                        "{'rspec': {'script': 'test', 'artifacts': {'reports': {'secret_detection': 1}}}}",
                        "jobs:rspec:artifacts:reports secret detection should be an array of strings or a string"),
                broken("a coverage report of an unknown format",
                        "{'rspec': {'script': 'test', 'artifacts': {'reports': {'coverage_report': "
                                + "{'coverage_format': 'lcov', 'path': 'c.xml'}}}}}",
                        "jobs:rspec:artifacts:reports:coverage_report coverage format must be one of supported "
                                + "formats: cobertura, jacoco."),

                // Needs and dependencies.
                broken("needs as an empty hash",
                        "{'regular_job': {'stage': 'build', 'script': 'echo'}, "
                                + "'invalid_dag_job': {'stage': 'test', 'script': 'ls', 'needs': {}}}",
                        "jobs:invalid_dag_job:needs config can not be an empty hash"),
                broken("needs as a string",
                        "{'test': {'script': 'echo', 'needs': 'build'}}",
                        "jobs:test:needs config can only be a hash or an array"),
                broken("a need of another type (its message keeps the job name's case)",
                        "{'Test': {'script': 'echo', 'needs': [1]}}",
                        "jobs:Test:needs:need has an unsupported type"),
                broken("a need with an unknown key",
                        "{'test': {'script': 'echo', 'needs': [{'job': 'build', 'when': 'now'}]}}",
                        "jobs:test:needs:need config contains unknown keys: when"),
                broken("a need of another pipeline",
                        "{'test': {'script': 'echo', 'needs': [{'pipeline': '$PARENT', 'job': 'build'}]}}",
                        "jobs:test:needs:need config contains keywords Jobyard does not support: pipeline"),
                broken("dependencies outside the needs",
                        "{'build1': {'stage': 'build', 'script': 'x'}, 'build2': {'stage': 'build', 'script': 'x'}, "
                                + "'test1': {'script': 'x', 'needs': ['build1'], 'dependencies': ['build2']}}",
                        "jobs:test1 dependencies the build2 should be part of needs"),
                broken("dependencies that are not strings",
                        "{'test': {'script': 'x', 'dependencies': 'build'}}",
                        "jobs:test dependencies should be an array of strings"),

                // Errors of several entries are all listed, in configuration order.
                broken("errors of several jobs",
                        "{'a': {'script': 'x', 'foo': 1}, 'b': {'script': 'x', 'tags': 't'}, "
                                + "'c': {'script': 'x', 'when': 'nope'}}",
                        "jobs:a config contains unknown keys: foo",
                        "jobs:b:tags config should be an array of strings",
                        "jobs:c when " + WHEN),
                broken("errors of several entries of one job, in Entry::Job's order",
                        "{'a': {'timeout': 1, 'tags': 't', 'script': 1, 'stage': 2}}",
                        "jobs:a:stage config should be a string",
                        "jobs:a:script config should be a string or a nested array of strings up to 10 levels deep",
                        "jobs:a:timeout config should be a duration",
                        "jobs:a:timeout config should not exceed the limit",
                        "jobs:a:tags config should be an array of strings"),
                broken("stages and variables before jobs",
                        "{'build': {'script': 'x', 'foo': 1}, 'variables': 'v', 'stages': 'test'}",
                        "variables config should be a hash",
                        "stages config should be an array of strings",
                        "jobs:build config contains unknown keys: foo"),
                broken("an invalid default entry is listed for every job that inherits it",
                        "{'default': {'tags': 'linux'}, 'a': {'script': 'x'}, 'b': {'script': 'x', 'tags': ['y']}}",
                        "default:tags config should be an array of strings",
                        "default:tags config should be an array of strings"),

                // Extends: GitLab reports its first problem alone.
                broken("extends an unknown base (gitlab's yaml_processor spec)",
                        "{'rspec': {'extends': 'something', 'script': 'test'}}",
                        "rspec: unknown keys in `extends` (something)"),
                broken("extends a base that is no hash",
                        "{'.base': 'echo', 'rspec': {'extends': ['.base'], 'script': 'test', 'foo': 1}}",
                        "rspec: invalid base hashes in `extends` (.base)"),
                broken("extends in a circle",
                        "{'build': {'script': 'x'}, '.a': {'extends': '.b'}, '.b': {'extends': '.a'}}",
                        ".a: circular dependency detected in `extends`"),
                broken("a keyword at the top level and in default",
                        "{'image': 'ruby:3', 'default': {'image': 'ruby:2'}, 'build': {'script': 'x', 'foo': 1}}",
                        "image is defined in top-level and `default:` entry"),

                // Logical errors: only once the syntax is valid, and only the first.
                broken("a job in an undeclared stage",
                        "{'build': {'stage': 'compile', 'script': 'echo'}}",
                        "build job: chosen stage compile does not exist; " + STAGES),
                broken("a job in an undeclared stage of declared stages, name not lower-cased",
                        "{'stages': ['build', 'test'], 'Rspec': {'script': 'test', 'stage': 'acceptance'}}",
                        "Rspec job: chosen stage acceptance does not exist; available stages are .pre, build, test, "
                                + ".post"),
                broken("the default stage when stages do not declare it",
                        "{'stages': ['lint'], 'build': {'script': 'echo'}}",
                        "build job: chosen stage test does not exist; available stages are .pre, lint, .post"),
                broken("an undefined need",
                        "{'build': {'stage': 'build', 'script': 'echo'}, "
                                + "'test': {'stage': 'test', 'script': 'echo', 'needs': ['unknown_job']}}",
                        "test job: undefined need: unknown_job"),
                broken("a need of a hidden job",
                        "{'.base': {'script': 'echo'}, 'test': {'script': 'echo', 'needs': ['.base']}}",
                        "test job: undefined need: .base"),
                broken("a need in a later stage",
                        "{'build': {'stage': 'build', 'script': 'echo', 'needs': ['test']}, "
                                + "'test': {'stage': 'test', 'script': 'echo'}}",
                        "build job: need test is not defined in current or prior stages"),
                broken("an undefined dependency",
                        "{'test': {'script': 'echo', 'dependencies': ['nope']}}",
                        "test job: undefined dependency: nope"),
                broken("a dependency in a later stage",
                        "{'build': {'stage': 'build', 'script': 'x', 'dependencies': ['test']}, "
                                + "'test': {'stage': 'test', 'script': 'x'}}",
                        "build job: dependency test is not defined in current or prior stages"),
                broken("a need listed twice",
                        "{'a': {'stage': 'build', 'script': 'x'}, 'b': {'script': 'x', 'needs': ['a', {'job': 'a'}]}}",
                        "b has the following needs duplicated: a."),
                broken("needs in a circle",
                        "{'a': {'script': 'x', 'needs': ['b']}, 'b': {'script': 'x', 'needs': ['c']}, "
                                + "'c': {'script': 'x', 'needs': ['a']}}",
                        "The pipeline has circular dependencies: topological sort failed: [\"a\", \"b\", \"c\"]"),
                broken("a job that needs itself",
                        "{'a': {'script': 'x', 'needs': ['a']}}",
                        "The pipeline has circular dependencies: self-dependency: a"),
                broken("only the first logical error",
                        "{'a': {'stage': 'nope', 'script': 'x'}, 'b': {'script': 'x', 'needs': ['zzz']}}",
                        "a job: chosen stage nope does not exist; " + STAGES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigurations")
    void refusesWithGitLabsMessages(String description, String config, List<String> expected) {
        CiConfigException refusal = catchThrowableOfType(CiConfigException.class,
                () -> CiConfigCompiler.compile(Json.object(config.replace('\'', '"'))));

        assertThat(refusal).as(description).isNotNull();
        assertThat(refusal.errors()).containsExactlyElementsOf(expected);
        assertThat(refusal.firstError()).isEqualTo(expected.get(0));
    }

    @Test
    void extendsNestsAtMostTenLevels() {
        assertThatThrownBy(() -> CiConfigCompiler.compile(extendsChain(12)))
                .isInstanceOfSatisfying(CiConfigException.class, refusal -> assertThat(refusal.errors())
                        .containsExactly(".l11: nesting too deep in `extends`"));
        assertThat(CiConfigCompiler.compile(extendsChain(11)).jobs()).hasSize(1);
    }

    /** A job extending .l1, which extends .l2 ... up to .l{depth} (which extends nothing). */
    private static Map<String, Object> extendsChain(int depth) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job", new LinkedHashMap<>(Map.of("extends", ".l1")));
        for (int level = 1; level < depth; level++) {
            root.put(".l" + level, new LinkedHashMap<>(Map.of("extends", ".l" + (level + 1))));
        }
        root.put(".l" + depth, new LinkedHashMap<>(Map.of("script", "echo")));
        return root;
    }

    @Test
    void aMissingConfigurationIsAskedFor() {
        assertThatThrownBy(() -> CiConfigCompiler.compile(null))
                .isInstanceOfSatisfying(CiConfigException.class, refusal -> assertThat(refusal.errors())
                        .containsExactly("Please provide content of .gitlab-ci.yml"));
    }

    private static Arguments broken(String description, String config, String... expected) {
        return arguments(description, config, List.of(expected));
    }
}
