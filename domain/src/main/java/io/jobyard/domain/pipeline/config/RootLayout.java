package io.jobyard.domain.pipeline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How GitLab splits a configuration's top level ({@code Entry::Root#filter_jobs!}): the reserved keywords are global
 * entries; {@code default} and {@code workflow} too unless they look like a job; every other key is a job, hidden
 * when its name starts with a dot.
 *
 * @param globals the global entries, in configuration order
 * @param jobs    every job-like key, hidden ones included, in configuration order
 * @param stages  the stage list with GitLab's {@code .pre} first and {@code .post} last
 */
record RootLayout(Map<String, Object> globals, Map<String, Object> jobs, List<String> stages) {
    static final String PRE = ".pre";
    static final String POST = ".post";
    static final List<String> DEFAULT_STAGES = List.of(PRE, "build", "test", "deploy", POST);

    /** What a job-like top-level key is ({@code Entry::Jobs.find_type}). */
    enum Kind { HIDDEN, JOB, BRIDGE, UNMATCHED }

    static RootLayout of(Map<String, Object> root) {
        Map<String, Object> globals = new LinkedHashMap<>();
        Map<String, Object> jobs = new LinkedHashMap<>();
        root.forEach((key, value) -> {
            boolean global = Keywords.ROOT_RESERVED.contains(key)
                    || Keywords.ROOT.contains(key) && kind(key, value) == Kind.UNMATCHED;
            (global ? globals : jobs).put(key, value);
        });
        return new RootLayout(globals, jobs, stages(globals.get("stages")));
    }

    static Kind kind(String name, Object config) {
        if (name.startsWith(".")) {
            return Kind.HIDDEN;
        }
        if (config instanceof Map<?, ?> map && (map.containsKey("script") || map.containsKey("run"))) {
            return Kind.JOB;
        }
        if (config instanceof Map<?, ?> map && map.containsKey("trigger")) {
            return Kind.BRIDGE;
        }
        return Kind.UNMATCHED;
    }

    /**
     * GitLab's {@code EdgeStagesInjector}: a non-empty {@code stages:} list loses any {@code .pre}/{@code .post} of
     * its own and gets them first and last; no list at all means build, test, deploy.
     */
    private static List<String> stages(Object configured) {
        if (configured == null) {
            return DEFAULT_STAGES;
        }
        if (!(configured instanceof List<?> list)) {
            return List.of();
        }
        if (list.isEmpty()) {
            return List.of();
        }
        List<String> stages = new ArrayList<>();
        stages.add(PRE);
        for (Object stage : list) {
            String name = ConfigValues.toS(stage);
            if (!name.equals(PRE) && !name.equals(POST) && !stages.contains(name)) {
                stages.add(name);
            }
        }
        stages.add(POST);
        return List.copyOf(stages);
    }
}
