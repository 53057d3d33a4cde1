package io.jobyard.adapter.http.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The segment-by-segment matcher and the literal-prefix check answer exactly as the template's regular expression. */
class PathPatternTest {
    private static final List<String> TEMPLATES = List.of(
            "/",
            "/api/v4/user",
            "/api/v4/projects/:id",
            "/api/v4/projects/:id/jobs",
            "/api/v4/projects/:id/jobs/:job_id",
            "/api/v4/projects/:id/jobs/:job_id/trace",
            "/api/v4/projects/:id/jobs/:job_id/artifacts/*artifact_path",
            "/api/v4/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path",
            "/api/v4/projects/:id/jobs/artifacts/:ref_name+/download",
            "/api/v4/jobs/:id/trace",
            "/:project~/-/jobs/:job_id",
            "/:project~/-/jobs/:job_id/raw",
            "/api/v4/projects/:id/pipelines/:pipeline_id/jobs",
            "/api/v4/projects/:id/jobs/artifacts/:ref_name+/raw/raw/*artifact_path",
            "/:project~/-/jobs/:job_id/artifacts/raw/*path");
    private static final String[] PIECES = {"api", "v4", "projects", "jobs", "1", "42", "acme%2Fapp", "-", "raw",
        "artifacts", "download", "trace", "", "user", "pipelines", "a.b", "%2F", "x-y", "main"};

    @Test
    void everyPathGetsTheRegularExpressionsAnswer() {
        Random random = new Random(18);
        List<PathPattern> patterns = TEMPLATES.stream().map(PathPattern::compile).toList();
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            String path = i % 2 == 0 ? fromTemplate(random, TEMPLATES.get(random.nextInt(TEMPLATES.size())))
                    : randomPath(random);
            for (PathPattern pattern : patterns) {
                assertThat(pattern.match(path)).as("%s against %s", path, pattern)
                        .isEqualTo(pattern.matchByRegex(path));
                matched += pattern.match(path).isPresent() ? 1 : 0;
            }
        }
        assertThat(matched).as("the generated paths match templates often").isGreaterThan(5_000);
    }

    @Test
    void fixedTemplatesCaptureOneSegmentEach() {
        PathPattern pattern = PathPattern.compile("/api/v4/projects/:id/jobs/:job_id");
        assertThat(pattern.match("/api/v4/projects/acme%2Fapp/jobs/7")).hasValueSatisfying(values ->
                assertThat(values).containsExactly(java.util.Map.entry("id", "acme%2Fapp"),
                        java.util.Map.entry("job_id", "7")));
        assertThat(pattern.match("/api/v4/projects//jobs/7")).isEmpty();
        assertThat(pattern.match("/api/v4/projects/1/jobs/7/")).isEmpty();
        assertThat(pattern.match("/api/v4/projects/1/jobs")).isEmpty();
        assertThat(pattern.match("api/v4/projects/1/jobs/7")).isEmpty();
        assertThat(pattern.match("/api/v4/projects/1/job/7")).isEmpty();
        assertThat(pattern.match("/api/v4/projects/1/jobsx/7")).isEmpty();
    }

    /** The template with each parameter replaced by one to three random pieces (so some are wrong on purpose). */
    private static String fromTemplate(Random random, String template) {
        StringBuilder path = new StringBuilder();
        for (String segment : template.substring(1).split("/", -1)) {
            path.append('/');
            if (segment.startsWith(":") || segment.startsWith("*")) {
                int pieces = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
                List<String> parts = new ArrayList<>();
                for (int p = 0; p < pieces; p++) {
                    parts.add(PIECES[random.nextInt(PIECES.length)]);
                }
                path.append(String.join("/", parts));
            } else {
                path.append(random.nextInt(20) == 0 ? PIECES[random.nextInt(PIECES.length)] : segment);
            }
        }
        if (random.nextInt(20) == 0) {
            path.append('/');
        }
        return path.toString();
    }

    private static String randomPath(Random random) {
        StringBuilder path = new StringBuilder(random.nextInt(30) == 0 ? "" : "/");
        int segments = random.nextInt(9);
        for (int i = 0; i < segments; i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return path.toString();
    }
}
