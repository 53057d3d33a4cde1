package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What gitlab-runner 17's shell executor does with a job payload, from its source ({@code common/build.go},
 * {@code shells/abstract.go}), reduced to what a test on this machine can run: bash and git.
 * <ul>
 *     <li>The job's variables are the payload's, the last of a key winning; {@code file} ones are written to a file
 *     whose path the variable holds. {@code CI_PROJECT_DIR} and {@code CI_BUILDS_DIR} are the runner's own.</li>
 *     <li>{@code GIT_STRATEGY} ({@code Build#GetGitStrategy}): {@code clone}, {@code fetch}, {@code none}, or when
 *     unset {@code fetch} if {@code allow_git_fetch} else {@code clone}; anything else fails the job as
 *     "unknown GIT_STRATEGY". {@code none} only makes the project directory ("Skipping Git repository setup",
 *     "Skipping Git checkout", "Skipping Git submodules setup"); {@code clone} removes it first, then both do
 *     {@code writeRefspecFetchCmd}: {@code git init}, {@code git remote add origin <repo_url>} (or
 *     {@code set-url}), {@code git fetch origin --prune --quiet <refspecs> [--depth <depth>]} from {@code git_info},
 *     then, unless {@code GIT_CHECKOUT} is false, {@code git checkout -f -q <sha>} and {@code git clean -ffdx}.</li>
 *     <li>The {@code script} step runs in bash in the project directory, each line echoed as {@code $ <line>} and
 *     the first failing line ending it; {@code after_script} runs always and its failure is only noted.</li>
 * </ul>
 * The runner's own scaffolding (cache, artifacts, sections, docker) is left out: tests upload artifacts themselves.
 */
final class ShellExecutor {
    private static final long STEP_TIMEOUT_SECONDS = 120;

    /** How a job ended: the log it wrote and the exit code of its script (0 for success). */
    record Outcome(String log, int exitCode, boolean systemFailure) {
        boolean succeeded() {
            return exitCode == 0 && !systemFailure;
        }
    }

    private final Path buildsDir;

    ShellExecutor(Path buildsDir) {
        this.buildsDir = buildsDir;
    }

    Outcome run(JsonNode payload) {
        StringBuilder log = new StringBuilder();
        Map<String, String> variables = variables(payload);
        Path projectDir = buildsDir.resolve(payload.at("/job_info/project_full_path").asText());
        try {
            Files.createDirectories(buildsDir);
            Map<String, String> env = environment(payload, projectDir);
            int sources = getSources(payload, variables, projectDir, env, log);
            if (sources != 0) {
                return new Outcome(log.toString(), sources, true);
            }
            int exitCode = 0;
            for (JsonNode step : payload.get("steps")) {
                String name = step.get("name").asText();
                if (name.equals("script")) {
                    exitCode = script(step, projectDir, env, log);
                } else if (name.equals("after_script")) {
                    int afterCode = script(step, projectDir, env, log);
                    if (afterCode != 0) {
                        log.append("WARNING: after_script failed, but job will continue unaffected: exit code ")
                                .append(afterCode).append('\n');
                    }
                }
            }
            log.append(exitCode == 0 ? "Job succeeded\n" : "ERROR: Job failed: exit code " + exitCode + "\n");
            return new Outcome(log.toString(), exitCode, false);
        } catch (IOException e) {
            log.append("ERROR: Job failed (system failure): ").append(e.getMessage()).append('\n');
            return new Outcome(log.toString(), 1, true);
        }
    }

    /** The payload's variables, a later entry of a key winning, as the runner's {@code JobVariables.Get} reads them. */
    static Map<String, String> variables(JsonNode payload) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : payload.get("variables")) {
            String key = variable.get("key").asText();
            variables.remove(key);
            variables.put(key, variable.get("value").isNull() ? "" : variable.get("value").asText());
        }
        return variables;
    }

    private Map<String, String> environment(JsonNode payload, Path projectDir) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Path files = Files.createDirectories(buildsDir.resolve(projectDir.getFileName() + ".tmp"));
        for (JsonNode variable : payload.get("variables")) {
            String key = variable.get("key").asText();
            String value = variable.get("value").isNull() ? "" : variable.get("value").asText();
            if (variable.path("file").asBoolean(false)) {
                // A file variable: the runner writes the value to a file and the variable names the file.
                Path file = files.resolve(key);
                Files.writeString(file, value, StandardCharsets.UTF_8);
                value = file.toString();
            }
            env.put(key, value);
        }
        env.put("CI_BUILDS_DIR", buildsDir.toString());
        env.put("CI_PROJECT_DIR", projectDir.toString());
        return env;
    }

    private int getSources(JsonNode payload, Map<String, String> variables, Path projectDir, Map<String, String> env,
                           StringBuilder log) throws IOException {
        String strategy = switch (variables.getOrDefault("GIT_STRATEGY", "")) {
            case "clone" -> "clone";
            case "fetch" -> "fetch";
            case "none" -> "none";
            case "" -> payload.get("allow_git_fetch").asBoolean() ? "fetch" : "clone";
            default -> null;
        };
        if (strategy == null) {
            log.append("ERROR: Job failed: unknown GIT_STRATEGY\n");
            return 1;
        }
        if (strategy.equals("none")) {
            log.append("Skipping Git repository setup\n");
            Files.createDirectories(projectDir);
            log.append("Skipping Git checkout\n");
            log.append("Skipping Git submodules setup\n");
            return 0;
        }
        if (strategy.equals("clone")) {
            deleteRecursively(projectDir);
        }
        JsonNode git = payload.get("git_info");
        int depth = git.get("depth").asInt();
        log.append(depth > 0 ? "Fetching changes with git depth set to " + depth + "...\n" : "Fetching changes...\n");
        int code = git(log, buildsDir, env, "init", projectDir.toString());
        if (code != 0) {
            return code;
        }
        String url = git.get("repo_url").asText();
        if (git(log, projectDir, env, "remote", "add", "origin", url) != 0) {
            code = git(log, projectDir, env, "remote", "set-url", "origin", url);
            if (code != 0) {
                return code;
            }
        }
        List<String> fetch = new ArrayList<>(List.of("fetch", "origin", "--prune", "--quiet"));
        git.get("refspecs").forEach(refspec -> fetch.add(refspec.asText()));
        if (depth > 0) {
            fetch.add("--depth");
            fetch.add(Integer.toString(depth));
        }
        code = git(log, projectDir, env, fetch.toArray(String[]::new));
        if (code != 0) {
            return code;
        }
        if (!"false".equals(variables.get("GIT_CHECKOUT"))) {
            String sha = git.get("sha").asText();
            log.append("Checking out ").append(sha, 0, 8).append(" as detached HEAD (ref is ")
                    .append(git.get("ref").asText()).append(")...\n");
            code = git(log, projectDir, env, "checkout", "-f", "-q", sha);
            if (code != 0) {
                return code;
            }
            code = git(log, projectDir, env, "clean", "-ffdx");
        } else {
            log.append("Skipping Git checkout\n");
        }
        log.append("Skipping Git submodules setup\n");
        return code;
    }

    private int git(StringBuilder log, Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "init.defaultBranch=main",
                "-c", "advice.detachedHead=false"));
        command.addAll(List.of(args));
        return exec(command, dir, env, log);
    }

    private static int script(JsonNode step, Path projectDir, Map<String, String> env, StringBuilder log)
            throws IOException {
        StringBuilder script = new StringBuilder("set -eo pipefail\n");
        for (JsonNode line : step.get("script")) {
            String text = line.asText();
            script.append("echo ").append(quote("$ " + text)).append('\n').append(text).append('\n');
        }
        return exec(List.of("bash", "-c", script.toString()), projectDir, env, log);
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static int exec(List<String> command, Path dir, Map<String, String> env, StringBuilder log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> processEnv = builder.environment();
        processEnv.putAll(env);
        processEnv.put("GIT_TERMINAL_PROMPT", "0");
        processEnv.put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        try (InputStream out = process.getInputStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.transferTo(bytes);
            log.append(bytes.toString(StandardCharsets.UTF_8));
            if (!process.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return 124;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
