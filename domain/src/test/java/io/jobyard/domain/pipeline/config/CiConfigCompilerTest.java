package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.JobExecution;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.job.RetryPolicy;
import io.jobyard.domain.job.WhenCondition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What each supported keyword of a valid {@code .gitlab-ci.yml} becomes in Jobyard's job definitions. */
class CiConfigCompilerTest {

    private static PipelineDefinition compile(String json) {
        return CiConfigCompiler.compile(Json.object(json.replace('\'', '"')));
    }

    private static JobSpec job(PipelineDefinition definition, String name) {
        return definition.jobs().stream().filter(job -> job.name().equals(name)).findFirst().orElseThrow();
    }

    @Nested
    class Stages {
        @Test
        void withoutStagesGitLabsDefaultsWrapInPreAndPost() {
            PipelineDefinition definition = compile("{'rspec': {'script': 'test'}}");

            assertThat(definition.stages()).containsExactly(".pre", "build", "test", "deploy", ".post");
            JobSpec rspec = job(definition, "rspec");
            assertThat(rspec.stage()).isEqualTo("test");
            assertThat(rspec.stageIdx()).isEqualTo(2);
        }

        @Test
        void declaredStagesGetPreFirstAndPostLastAndIndexesFollowThem() {
            PipelineDefinition definition = compile("""
                    {'stages': ['.post', 'lint', 'package', '.pre'],
                     'cleanup': {'stage': '.post', 'script': 'rm -rf x'},
                     'prepare': {'stage': '.pre', 'script': 'mkdir x'},
                     'jar': {'stage': 'package', 'script': 'mvn package'},
                     'check': {'stage': 'lint', 'script': 'mvn verify'}}""");

            assertThat(definition.stages()).containsExactly(".pre", "lint", "package", ".post");
            assertThat(definition.jobs()).extracting(JobSpec::name, JobSpec::stageIdx).containsExactly(
                    tuple("cleanup", 3), tuple("prepare", 0), tuple("jar", 2), tuple("check", 1));
        }

        @Test
        void jobsKeepConfigurationOrderAndHiddenJobsAreNotJobs() {
            PipelineDefinition definition = compile("""
                    {'zeta': {'script': 'z'}, '.template': {'script': 't'}, 'alpha': {'script': 'a'}}""");

            assertThat(definition.jobs()).extracting(JobSpec::name).containsExactly("zeta", "alpha");
        }
    }

    @Nested
    class Scripts {
        @Test
        void scriptsAreStringsOrNestedListsFlattened() {
            JobSpec build = job(compile("""
                    {'build': {'before_script': 'setup', 'script': ['a', ['b', ['c']], 'd'], 'after_script': ['z']}}"""),
                    "build");

            assertThat(build.execution().beforeScript()).containsExactly("setup");
            assertThat(build.execution().script()).containsExactly("a", "b", "c", "d");
            assertThat(build.execution().afterScript()).containsExactly("z");
        }

        @Test
        void imageAndServicesAreNamesWhetherStringsOrHashes() {
            JobExecution execution = job(compile("""
                    {'build': {'script': 'x', 'image': {'name': 'maven:3'},
                               'services': ['postgres:16', {'name': 'redis:7'}]}}"""), "build").execution();

            assertThat(execution.image()).isEqualTo("maven:3");
            assertThat(execution.services()).containsExactly("postgres:16", "redis:7");
        }

        @Test
        void timeoutIsInSeconds() {
            PipelineDefinition definition = compile("""
                    {'a': {'script': 'x', 'timeout': '1h 30m'}, 'b': {'script': 'x', 'timeout': '3 days'},
                     'c': {'script': 'x'}}""");

            assertThat(job(definition, "a").execution().timeoutSeconds()).isEqualTo(5400);
            assertThat(job(definition, "b").execution().timeoutSeconds()).isEqualTo(259_200);
            assertThat(job(definition, "c").execution().timeoutSeconds()).isNull();
        }
    }

    @Nested
    class Variables {
        @Test
        void topLevelVariablesGoToThePipelineAndJobVariablesToTheJob() {
            PipelineDefinition definition = compile("""
                    {'variables': {'GLOBAL': 'g', 'PORT': 5432, 'DESCRIBED': {'value': 'v', 'description': 'd'},
                                   'EMPTY': null, 'OPTION': {'value': 'b', 'options': ['a', 'b']}},
                     'build': {'script': 'x', 'variables': {'LOCAL': 'l', 'EXPANDED': {'value': '$X', 'expand': true}}}}""");

            assertThat(definition.variables()).containsExactly(JobVariable.of("GLOBAL", "g"),
                    JobVariable.of("PORT", "5432"), JobVariable.of("DESCRIBED", "v"), JobVariable.of("EMPTY", ""),
                    JobVariable.of("OPTION", "b"));
            assertThat(job(definition, "build").variables())
                    .containsExactly(JobVariable.of("LOCAL", "l"), JobVariable.of("EXPANDED", "$X"));
        }

        @Test
        void ciDebugTraceTrueTurnsDebugTraceOnTheJobOverridingTheTopLevel() {
            PipelineDefinition definition = compile("""
                    {'variables': {'CI_DEBUG_TRACE': 'true'},
                     'loud': {'script': 'x'},
                     'quiet': {'script': 'x', 'variables': {'CI_DEBUG_TRACE': 'false'}}}""");

            assertThat(job(definition, "loud").debugTrace()).isTrue();
            assertThat(job(definition, "quiet").debugTrace()).isFalse();
        }
    }

    @Nested
    class Defaults {
        @Test
        void jobsTakeFromDefaultWhatTheyDoNotSay() {
            PipelineDefinition definition = compile("""
                    {'default': {'image': 'ruby:3', 'services': ['postgres'], 'tags': ['docker'],
                                 'before_script': ['bundle'], 'after_script': ['cleanup'], 'retry': 2,
                                 'timeout': '10m', 'interruptible': true,
                                 'artifacts': {'paths': ['log/'], 'when': 'always'}},
                     'inherits': {'script': 'rspec'},
                     'overrides': {'script': 'rake', 'image': 'ruby:2', 'services': [], 'tags': ['shell'],
                                   'before_script': [], 'retry': 0, 'timeout': '1m',
                                   'artifacts': {'paths': ['pkg/']}}}""");

            JobSpec inherits = job(definition, "inherits");
            assertThat(inherits.execution().image()).isEqualTo("ruby:3");
            assertThat(inherits.execution().services()).containsExactly("postgres");
            assertThat(inherits.tags()).containsExactly("docker");
            assertThat(inherits.execution().beforeScript()).containsExactly("bundle");
            assertThat(inherits.execution().afterScript()).containsExactly("cleanup");
            assertThat(inherits.retry()).isEqualTo(new RetryPolicy(2, Set.of()));
            assertThat(inherits.execution().timeoutSeconds()).isEqualTo(600);
            assertThat(inherits.execution().artifacts().paths()).containsExactly("log/");
            assertThat(inherits.execution().artifacts().when()).isEqualTo("always");

            JobSpec overrides = job(definition, "overrides");
            assertThat(overrides.execution().image()).isEqualTo("ruby:2");
            assertThat(overrides.execution().services()).isEmpty();
            assertThat(overrides.tags()).containsExactly("shell");
            assertThat(overrides.execution().beforeScript()).isEmpty();
            assertThat(overrides.execution().afterScript()).containsExactly("cleanup");
            assertThat(overrides.retry()).isEqualTo(RetryPolicy.NONE);
            assertThat(overrides.execution().timeoutSeconds()).isEqualTo(60);
            // A job's artifacts replace default's whole: GitLab inherits entries, it does not merge them.
            assertThat(overrides.execution().artifacts().paths()).containsExactly("pkg/");
            assertThat(overrides.execution().artifacts().when()).isNull();
        }

        @Test
        void theDeprecatedTopLevelKeywordsActAsDefaults() {
            JobExecution execution = job(compile("""
                    {'image': 'alpine', 'services': ['redis'], 'before_script': 'a', 'after_script': ['b'],
                     'build': {'script': 'x'}}"""), "build").execution();

            assertThat(execution.image()).isEqualTo("alpine");
            assertThat(execution.services()).containsExactly("redis");
            assertThat(execution.beforeScript()).containsExactly("a");
            assertThat(execution.afterScript()).containsExactly("b");
        }

        @Test
        void withoutAnyImageTheRunnerChooses() {
            assertThat(job(compile("{'build': {'script': 'x'}}"), "build").execution())
                    .isEqualTo(new JobExecution(null, List.of(), List.of(), List.of("x"), List.of(), null, null, null));
        }
    }

    @Nested
    class WhenAndAllowFailure {
        @Test
        void onSuccessByDefaultAndNotAllowedToFail() {
            JobSpec build = job(compile("{'build': {'script': 'x'}}"), "build");

            assertThat(build.when()).isEqualTo(WhenCondition.ON_SUCCESS);
            assertThat(build.startIn()).isNull();
            assertThat(build.allowFailure()).isFalse();
        }

        @Test
        void manualJobsMayFailUnlessTheySayOtherwise() {
            PipelineDefinition definition = compile("""
                    {'deploy': {'script': 'x', 'when': 'manual'},
                     'strict': {'script': 'x', 'when': 'manual', 'allow_failure': false},
                     'flaky': {'script': 'x', 'allow_failure': true},
                     'criteria': {'script': 'x', 'allow_failure': {}}}""");

            assertThat(job(definition, "deploy").allowFailure()).isTrue();
            assertThat(job(definition, "deploy").when()).isEqualTo(WhenCondition.MANUAL);
            assertThat(job(definition, "strict").allowFailure()).isFalse();
            assertThat(job(definition, "flaky").allowFailure()).isTrue();
            assertThat(job(definition, "criteria").allowFailure()).isFalse();
        }

        @Test
        void delayedJobsStartAfterStartIn() {
            PipelineDefinition definition = compile("""
                    {'later': {'script': 'x', 'when': 'delayed', 'start_in': '30 minutes'},
                     'week': {'script': 'x', 'when': 'delayed', 'start_in': '1 week'}}""");

            JobSpec later = job(definition, "later");
            assertThat(later.when()).isEqualTo(WhenCondition.DELAYED);
            assertThat(later.startIn()).isEqualTo(Duration.ofMinutes(30));
            assertThat(later.allowFailure()).isFalse();
            assertThat(job(definition, "week").startIn()).isEqualTo(Duration.ofDays(7));
        }

        @Test
        void otherConditions() {
            PipelineDefinition definition = compile("""
                    {'notify': {'script': 'x', 'when': 'on_failure'}, 'report': {'script': 'x', 'when': 'always'}}""");

            assertThat(job(definition, "notify").when()).isEqualTo(WhenCondition.ON_FAILURE);
            assertThat(job(definition, "report").when()).isEqualTo(WhenCondition.ALWAYS);
        }
    }

    @Nested
    class NeedsAndDependencies {
        @Test
        void needsMakeADagJobThatDownloadsTheNeedsKeepingArtifacts() {
            PipelineDefinition definition = compile("""
                    {'compile': {'stage': 'build', 'script': 'x'},
                     'docs': {'stage': 'build', 'script': 'x'},
                     'lint': {'stage': 'test', 'script': 'x'},
                     'test': {'stage': 'test', 'script': 'x',
                              'needs': ['compile', {'job': 'docs', 'artifacts': false}, 'lint',
                                        {'job': 'not-in-pipeline', 'optional': true}]}}""");

            JobSpec test = job(definition, "test");
            assertThat(test.dag()).isTrue();
            assertThat(test.needs()).containsExactly("compile", "docs", "lint");
            assertThat(test.execution().dependencies()).containsExactly("compile", "lint");
            assertThat(job(definition, "lint").dag()).isFalse();
            assertThat(job(definition, "lint").execution().dependencies()).isNull();
        }

        @Test
        void anEmptyNeedsListStartsAtOnceAndDownloadsNothing() {
            JobSpec eager = job(compile("""
                    {'compile': {'stage': 'build', 'script': 'x'}, 'eager': {'stage': 'deploy', 'script': 'x', 'needs': []}}"""),
                    "eager");

            assertThat(eager.dag()).isTrue();
            assertThat(eager.needs()).isEmpty();
            assertThat(eager.execution().dependencies()).isEmpty();
        }

        @Test
        void dependenciesNarrowWhatIsDownloaded() {
            PipelineDefinition definition = compile("""
                    {'a': {'stage': 'build', 'script': 'x'}, 'b': {'stage': 'build', 'script': 'x'},
                     'only_a': {'script': 'x', 'dependencies': ['a']},
                     'none': {'script': 'x', 'dependencies': []},
                     'dag': {'script': 'x', 'needs': ['a', 'b'], 'dependencies': ['b']}}""");

            assertThat(job(definition, "only_a").execution().dependencies()).containsExactly("a");
            assertThat(job(definition, "none").execution().dependencies()).isEmpty();
            assertThat(job(definition, "dag").execution().dependencies()).containsExactly("b");
        }

        @Test
        void aJobMayNeedAnotherOfItsOwnStage() {
            JobSpec second = job(compile("""
                    {'first': {'script': 'x'}, 'second': {'script': 'x', 'needs': ['first']}}"""), "second");

            assertThat(second.needs()).containsExactly("first");
        }
    }

    @Nested
    class Artifacts {
        @Test
        void everyArtifactsKeyword() {
            JobExecution.ArtifactsSpec artifacts = job(compile("""
                    {'build': {'script': 'x', 'artifacts': {
                        'name': 'bin-$CI_JOB_NAME', 'paths': ['target/*.jar'], 'exclude': ['target/*-sources.jar'],
                        'untracked': true, 'when': 'on_failure', 'expire_in': '1 week', 'access': 'maintainer',
                        'reports': {'junit': 'target/surefire-reports/*.xml', 'dotenv': ['build.env'],
                                    'coverage_report': {'coverage_format': 'cobertura', 'path': 'coverage.xml'}}}}}"""),
                    "build").execution().artifacts();

            assertThat(artifacts.name()).isEqualTo("bin-$CI_JOB_NAME");
            assertThat(artifacts.paths()).containsExactly("target/*.jar");
            assertThat(artifacts.exclude()).containsExactly("target/*-sources.jar");
            assertThat(artifacts.untracked()).isTrue();
            assertThat(artifacts.when()).isEqualTo("on_failure");
            assertThat(artifacts.expireIn()).isEqualTo("1 week");
            assertThat(artifacts.access()).isEqualTo("maintainer");
            assertThat(artifacts.reports()).isEqualTo(Map.of(
                    "junit", List.of("target/surefire-reports/*.xml"),
                    "dotenv", List.of("build.env"),
                    "cobertura", List.of("coverage.xml")));
        }

        @Test
        void publicIsWrittenAsAccess() {
            PipelineDefinition definition = compile("""
                    {'private': {'script': 'x', 'artifacts': {'paths': ['a'], 'public': false}},
                     'public': {'script': 'x', 'artifacts': {'paths': ['a'], 'public': true}},
                     'unsaid': {'script': 'x', 'artifacts': {'paths': ['a'], 'expire_in': 'never'}}}""");

            assertThat(job(definition, "private").execution().artifacts().access()).isEqualTo("developer");
            assertThat(job(definition, "public").execution().artifacts().access()).isEqualTo("all");
            assertThat(job(definition, "unsaid").execution().artifacts().access()).isNull();
            assertThat(job(definition, "unsaid").execution().artifacts().expireIn()).isEqualTo("never");
        }
    }

    @Nested
    class OtherKeywords {
        @Test
        void retryAsACountOrWithReasons() {
            PipelineDefinition definition = compile("""
                    {'count': {'script': 'x', 'retry': 1},
                     'reasons': {'script': 'x', 'retry': {'max': 2, 'when': ['runner_system_failure', 'api_failure']}},
                     'one': {'script': 'x', 'retry': {'max': 2, 'when': 'always'}},
                     'unsaid': {'script': 'x', 'retry': {'when': 'script_failure'}}}""");

            assertThat(job(definition, "count").retry()).isEqualTo(new RetryPolicy(1, Set.of()));
            assertThat(job(definition, "reasons").retry())
                    .isEqualTo(new RetryPolicy(2, Set.of("runner_system_failure", "api_failure")));
            assertThat(job(definition, "one").retry()).isEqualTo(new RetryPolicy(2, Set.of("always")));
            assertThat(job(definition, "unsaid").retry())
                    .isEqualTo(new RetryPolicy(0, Set.of("script_failure")));
        }

        @Test
        void tagsAreSortedAndResourceGroupKept() {
            JobSpec deploy = job(compile("""
                    {'deploy': {'script': 'x', 'tags': ['linux', 'docker', 'linux'], 'resource_group': 'production'}}"""),
                    "deploy");

            assertThat(deploy.tags()).containsExactly("docker", "linux");
            assertThat(deploy.resourceGroup()).isEqualTo("production");
        }

        @Test
        void coverageAndInterruptibleAreAcceptedAndIgnored() {
            JobSpec test = job(compile("""
                    {'test': {'script': 'x', 'coverage': '/Total:\\\\s+(\\\\d+)%/', 'interruptible': true}}"""), "test");

            assertThat(test).isEqualTo(JobSpec.simple("test", "test", 2)
                    .withExecution(new JobExecution(null, List.of(), List.of(), List.of("x"), List.of(), null, null,
                            null)));
        }

        @Test
        void theConfigurationGivenIsNotModified() {
            Map<String, Object> root = Json.object("""
                    {".base": {"variables": {"A": "1"}}, "job": {"extends": ".base", "script": "x"}}""");
            String before = root.toString();

            CiConfigCompiler.compile(root);

            assertThat(root.toString()).isEqualTo(before);
        }
    }
}
