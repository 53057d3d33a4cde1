package io.jobyard.bootstrap.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value} command-line arguments, as the other benchmarks of the project take them. */
final class BenchArgs {
    private BenchArgs() {
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return map;
    }
}
