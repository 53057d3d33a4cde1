package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobVariable;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code extends:} as GitLab's Extendable does it: bases first, hashes merged deeply, everything else replaced. */
class CiConfigExtendsTest {

    private static JobSpec only(String json) {
        List<JobSpec> jobs = CiConfigCompiler.compile(Json.object(json.replace('\'', '"'))).jobs();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    @Test
    void hashesMergeDeeplyAndListsAreReplaced() {
        JobSpec rspec = only("""
                {'.tests': {'script': ['rake test'], 'stage': 'test', 'tags': ['docker', 'linux'],
                            'variables': {'RAILS_ENV': 'test', 'DB': 'postgres'}},
                 'rspec': {'extends': '.tests', 'script': ['rspec'], 'tags': ['big'],
                           'variables': {'DB': 'mysql', 'COVERAGE': '1'}}}""");

        assertThat(rspec.execution().script()).containsExactly("rspec");
        assertThat(rspec.tags()).containsExactly("big");
        assertThat(rspec.variables()).containsExactly(JobVariable.of("RAILS_ENV", "test"),
                JobVariable.of("DB", "mysql"), JobVariable.of("COVERAGE", "1"));
        assertThat(rspec.stage()).isEqualTo("test");
    }

    @Test
    void basesExtendThemselvesFirstOverSeveralLevels() {
        JobSpec deploy = only("""
                {'deploy': {'extends': '.production'},
                 '.production': {'extends': '.deploy', 'variables': {'ENV': 'production'}, 'when': 'manual'},
                 '.deploy': {'extends': '.base', 'stage': 'deploy', 'variables': {'ENV': 'staging', 'CLUSTER': 'k8s'}},
                 '.base': {'script': 'deploy.sh', 'retry': 1}}""");

        assertThat(deploy.stage()).isEqualTo("deploy");
        assertThat(deploy.when().wireName()).isEqualTo("manual");
        assertThat(deploy.execution().script()).containsExactly("deploy.sh");
        assertThat(deploy.retry().max()).isEqualTo(1);
        assertThat(deploy.variables()).containsExactly(JobVariable.of("ENV", "production"),
                JobVariable.of("CLUSTER", "k8s"));
    }

    @Test
    void laterBasesOverrideEarlierOnes() {
        JobSpec job = only("""
                {'.ruby': {'image': 'ruby:3', 'script': 'ruby', 'variables': {'A': 'ruby'}},
                 '.node': {'image': 'node:20', 'variables': {'A': 'node', 'B': 'node'}},
                 'job': {'extends': ['.ruby', '.node'], 'variables': {'B': 'job'}}}""");

        assertThat(job.execution().image()).isEqualTo("node:20");
        assertThat(job.execution().script()).containsExactly("ruby");
        assertThat(job.variables()).containsExactly(JobVariable.of("A", "node"), JobVariable.of("B", "job"));
    }

    @Test
    void aJobMayExtendAnotherVisibleJob() {
        List<JobSpec> jobs = CiConfigCompiler.compile(Json.object("""
                {"build": {"script": "make", "tags": ["linux"]},
                 "build-arm": {"extends": "build", "tags": ["arm"]}}""")).jobs();

        assertThat(jobs).extracting(JobSpec::name).containsExactly("build", "build-arm");
        assertThat(jobs.get(1).execution().script()).containsExactly("make");
        assertThat(jobs.get(1).tags()).containsExactly("arm");
    }

    @Test
    void deepMergeKeepsTheFirstPositionOfEachKey() {
        Map<String, Object> target = new LinkedHashMap<>(Map.of("a", 1));
        target.put("nested", new LinkedHashMap<>(Map.of("x", 1)));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("b", 2);
        source.put("a", 3);
        source.put("nested", new LinkedHashMap<>(Map.of("y", 2)));

        ExtendsResolver.deepMerge(target, source);

        assertThat(target).containsExactly(Map.entry("a", 3), Map.entry("nested", Map.of("x", 1, "y", 2)),
                Map.entry("b", 2));
    }
}
