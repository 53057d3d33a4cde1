package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.JobSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a YAML file holds, compiling it either gives a definition the rest of Jobyard can use or refuses it with
 * GitLab-style messages — never another exception from deep inside (a JobSpec constructor, a cast, a parse).
 */
class CiConfigCompilerPropertyTest {

    private static final List<String> JOB_NAMES = List.of("build", "test", "deploy", ".base", ".other", "default");
    private static final List<String> KEYWORDS = List.of("script", "stage", "when", "start_in", "needs",
            "dependencies", "extends", "artifacts", "retry", "timeout", "tags", "image", "services", "variables",
            "allow_failure", "before_script", "after_script", "resource_group", "coverage", "interruptible",
            "paths", "reports", "junit", "job", "optional", "max", "name", "expire_in", "access", "public", "value",
            "cache", "foo");
    private static final List<String> WORDS = List.of("build", "test", "deploy", ".base", ".other", "echo", "manual",
            "delayed", "on_success", "always", "1 week", "8 days", "10m", "never", "ruby:3", "script_failure",
            "developer", "/x (\\d+)/", "", " ", ".pre", ".post", "FOO", "MY-VAR");

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void compilesOrRefusesWithMessages(@ForAll("configurations") Map<String, Object> config) {
        try {
            PipelineDefinition definition = CiConfigCompiler.compile(config);
            Statistics.collect("compiled");
            assertThat(definition.jobs()).isNotEmpty();
            for (JobSpec job : definition.jobs()) {
                assertThat(definition.stages().get(job.stageIdx())).isEqualTo(job.stage());
                assertThat(job.name()).doesNotStartWith(".");
            }
        } catch (CiConfigException refused) {
            Statistics.collect(refused.errors().size() == 1 ? "refused, one error" : "refused, several errors");
            assertThat(refused.errors()).isNotEmpty().allSatisfy(message -> assertThat(message).isNotBlank());
        }
    }

    /** Plausible values per keyword, so that many generated configurations are valid and reach assembly. */
    private static final Map<String, List<Object>> PLAUSIBLE = plausible("""
            {"script": ["echo", ["a", ["b"]]],
             "stage": ["build", "test", "deploy", ".pre", ".post", "nope"],
             "when": ["on_success", "manual", "delayed", "always", "on_failure"],
             "start_in": ["10m", "1 week"],
             "needs": [[], ["build"], ["test", "deploy"], [{"job": "build", "artifacts": false}],
                       [{"job": "missing", "optional": true}]],
             "dependencies": [[], ["build"], ["deploy"]],
             "extends": [".base", [".base", ".other"]],
             "artifacts": [{"paths": ["a"]}, {"reports": {"junit": "r.xml"}, "when": "always"},
                           {"paths": ["a"], "expire_in": "1 week", "public": false},
                           {"access": "maintainer", "reports": {"coverage_report":
                               {"coverage_format": "jacoco", "path": "j.xml"}}}],
             "retry": [0, 2, {"max": 1, "when": ["script_failure"]}, {"when": "always"}],
             "timeout": ["10m", "1 day"],
             "tags": [["docker"], ["b", "a"]],
             "image": ["ruby:3", {"name": "ruby"}],
             "services": [["pg"], [{"name": "redis"}]],
             "variables": [{"FOO": "1"}, {"BAR": 2, "BAZ": {"value": "x"}, "NIL": null}, {"CI_DEBUG_TRACE": "true"}],
             "allow_failure": [true, false, {}],
             "before_script": ["x"], "after_script": [["y"]],
             "resource_group": ["production"],
             "coverage": ["/x (\\\\d+)/"],
             "interruptible": [true]}""");

    @Provide
    Arbitrary<Map<String, Object>> configurations() {
        Arbitrary<Object> job = Arbitraries.maps(Arbitraries.of(KEYWORDS), values()).ofMaxSize(3)
                .flatMap(random -> Arbitraries.maps(Arbitraries.of(PLAUSIBLE.keySet()), Arbitraries.just(0))
                        .ofMaxSize(6)
                        .flatMap(keys -> Combinators.combine(keys.keySet().stream()
                                .map(key -> Arbitraries.of(PLAUSIBLE.get(key)).map(value -> Map.entry(key, value)))
                                .toList()).as(entries -> {
                                    Map<String, Object> map = new LinkedHashMap<>();
                                    entries.forEach(entry -> map.put(entry.getKey(), entry.getValue()));
                                    return map;
                                }))
                        .flatMap(plausible -> Arbitraries.integers().between(0, 9).map(dice -> {
                            Map<String, Object> map = new LinkedHashMap<>(plausible);
                            if (dice < 2) {
                                map.putAll(random);
                            }
                            if (dice < 8) {
                                map.putIfAbsent("script", "echo");
                            }
                            return (Object) map;
                        })));
        Arbitrary<Object> entry = Arbitraries.frequencyOf(
                Tuple.of(12, job),
                Tuple.of(1, values()));
        Arbitrary<Map<String, Object>> jobs = Arbitraries.maps(Arbitraries.of(JOB_NAMES), entry).ofMaxSize(5)
                .map(LinkedHashMap::new);
        Arbitrary<Object> stages = Arbitraries.of(WORDS).list().ofMaxSize(3).map(list -> (Object) list);
        return Combinators.combine(jobs, stages, Arbitraries.integers().between(0, 3))
                .as((map, stageList, variant) -> {
                    Map<String, Object> root = new LinkedHashMap<>();
                    if (variant == 1) {
                        root.put("stages", stageList);
                    }
                    if (variant == 2) {
                        root.put("default", Map.of("image", "alpine", "tags", List.of("x"), "retry", 1));
                    }
                    root.putAll(map);
                    return root;
                });
    }

    private static Map<String, List<Object>> plausible(String json) {
        Map<String, List<Object>> values = new LinkedHashMap<>();
        Json.object(json).forEach((key, candidates) -> values.put(key, ConfigValues.array(candidates)));
        return values;
    }

    private Arbitrary<Object> values() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.of(WORDS).map(word -> (Object) word),
                Arbitraries.integers().between(-1, 3).map(number -> (Object) number),
                Arbitraries.of(true, false).map(flag -> (Object) flag),
                Arbitraries.just(null),
                Arbitraries.just((Object) 1.5));
        return Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(3).map(list -> (Object) new ArrayList<>(list)),
                Arbitraries.maps(Arbitraries.of(KEYWORDS), inner).ofMaxSize(3)
                        .map(map -> (Object) new LinkedHashMap<>(map))), 0, 3);
    }
}
