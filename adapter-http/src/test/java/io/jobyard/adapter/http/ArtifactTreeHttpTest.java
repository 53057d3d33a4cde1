package io.jobyard.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.ProjectJobs;
import io.jobyard.adapter.http.ApiWorld.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jobyard.adapter.http.JobsApiHttpTest.assertError;
import static io.jobyard.adapter.http.JobsApiHttpTest.link;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobyard's look inside an artifacts archive (issue 17): {@code GET .../jobs/:job_id/artifacts_tree} and the by-ref
 * {@code .../jobs/artifacts/:ref_name/tree?job=}, from the entry index built at upload. The world's builds uploaded a
 * zip holding {@code out/} (listed), {@code out/report.txt}, {@code out/data.bin}, {@code index.html},
 * {@code logo.svg}, {@code dir/résumé v1.txt} (its directory not listed) and {@code a+b.txt}.
 */
class ArtifactTreeHttpTest {
    private final ApiWorld world = new ApiWorld();
    private final ProjectJobs app = world.privateProject;
    private final String dev = "pat-dev";
    private final String tree = "/projects/" + app.project().id() + "/jobs/" + app.build().id() + "/artifacts_tree";

    @AfterEach
    void stop() {
        world.close();
    }

    private List<String> paths(String query) {
        Response response = world.get(tree + query, dev);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> paths = new ArrayList<>();
        response.json().forEach(entry -> paths.add(entry.get("path").asText()
                + (entry.get("type").asText().equals("directory") ? "/" : "")));
        return paths;
    }

    @Test
    void theRootListsFilesAndDirectoriesInPathOrderDirectoriesKnownOnlyFromTheirFilesToo() {
        assertThat(paths("")).containsExactly("a+b.txt", "build.sh", "dir/", "index.html", "logo.svg", "out/");
        assertThat(paths("?path=out")).containsExactly("out/data.bin", "out/report.txt");
        assertThat(paths("?path=out/")).containsExactly("out/data.bin", "out/report.txt");
        assertThat(paths("?path=dir")).containsExactly("dir/résumé v1.txt");
    }

    @Test
    void entriesCarryNameTypeSizeModeCrcAndTime() {
        Response response = world.get(tree + "?path=out", dev);
        JsonNode report = response.json().get(1);
        List<String> keys = new ArrayList<>();
        report.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("name", "path", "type", "size", "mode", "crc32", "modified_at");
        assertThat(report.get("name").asText()).isEqualTo("report.txt");
        assertThat(report.get("type").asText()).isEqualTo("file");
        assertThat(report.get("size").asLong()).isEqualTo(ApiWorld.REPORT.getBytes(StandardCharsets.UTF_8).length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ApiWorld.REPORT.getBytes(StandardCharsets.UTF_8));
        assertThat(report.get("crc32").asLong()).isEqualTo(crc.getValue());
        assertThat(report.get("mode").isNull()).as("java.util.zip writes no Unix mode").isTrue();
        assertThat(report.get("modified_at").asText()).isEqualTo("2024-05-01T10:00:00.000Z");

        JsonNode root = world.get(tree, dev).json();
        JsonNode listed = root.get(5);
        assertThat(listed.get("path").asText()).isEqualTo("out");
        assertThat(listed.get("type").asText()).isEqualTo("directory");
        assertThat(listed.get("size").isNull()).isTrue();
        assertThat(listed.get("crc32").isNull()).isTrue();
        assertThat(listed.get("modified_at").asText()).as("the zip lists out/ itself").isEqualTo(
                "2024-05-01T10:00:00.000Z");
        JsonNode derived = root.get(2);
        assertThat(derived.get("name").asText()).isEqualTo("dir");
        assertThat(derived.get("modified_at").isNull()).as("dir/ is known only from its file").isTrue();
    }

    @Test
    void recursiveListingsAndGlobs() {
        assertThat(paths("?recursive=true")).containsExactly("a+b.txt", "build.sh", "dir/", "dir/résumé v1.txt",
                "index.html", "logo.svg", "out/", "out/data.bin", "out/report.txt");
        assertThat(paths("?recursive=true&glob=" + encoded("**/*.txt")))
                .containsExactly("a+b.txt", "dir/résumé v1.txt", "out/report.txt");
        assertThat(paths("?glob=" + encoded("*.txt"))).containsExactly("a+b.txt");
        assertThat(paths("?recursive=true&glob=" + encoded("*/*"))).containsExactly("dir/résumé v1.txt",
                "out/data.bin", "out/report.txt");
        assertThat(paths("?path=out&glob=" + encoded("????.bin"))).containsExactly("out/data.bin");
        assertThat(paths("?recursive=true&glob=" + encoded("**"))).hasSize(9);
    }

    @Test
    void keysetPagesMakeUpTheWholeListingWithLinksCarryingEveryParameter() {
        for (String query : List.of("?recursive=true", "?recursive=false", "?recursive=true&glob=" + encoded("**/*.*"))) {
            List<String> whole = paths(query);
            List<String> walked = new ArrayList<>();
            String next = world.base() + ApiWorld.PREFIX + tree + query + "&per_page=2";
            while (next != null) {
                Response page = world.get(next.substring((world.base() + ApiWorld.PREFIX).length()), dev);
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                page.json().forEach(e -> walked.add(e.get("path").asText()
                        + (e.get("type").asText().equals("directory") ? "/" : "")));
                next = link(page, "next");
                if (next != null) {
                    assertThat(next).contains("per_page=2").contains("cursor=")
                            .contains(query.substring(1).split("&")[0]);
                }
            }
            assertThat(walked).as(query).containsExactlyElementsOf(whole);
        }
    }

    @Test
    void aDirectoryNotInTheArchiveIs404AndAPathNoEntryCanHaveIs400() {
        assertError(world.get(tree + "?path=missing", dev), 404, "message", "404 Tree Not Found");
        assertError(world.get(tree + "?path=out/report.txt", dev), 404, "message", "404 Tree Not Found");
        assertError(world.get(tree + "?path=" + encoded("../etc"), dev), 400, "error", "path is invalid");
        assertError(world.get(tree + "?cursor=bm9wZQ", dev), 400, "error", "cursor is invalid");
        String test = "/projects/" + app.project().id() + "/jobs/" + app.test().id() + "/artifacts_tree";
        assertError(world.get(test, dev), 404, "message", "404 Not Found");
    }

    /** Whoever may (or may not) download one file of the archive gets the same answer from the listing. */
    @Test
    void theListingIsAuthorizedAsTheSingleFileDownload() {
        for (ProjectJobs project : List.of(world.privateProject, world.publicProject)) {
            String base = "/projects/" + project.project().id() + "/jobs/";
            for (String token : Arrays.asList(null, "pat-otto", "pat-gus", "pat-rita", "pat-dev", "pat-root",
                    "ro-dev")) {
                int file = world.get(base + project.build().id() + "/artifacts/out/report.txt", token).status();
                int listing = world.get(base + project.build().id() + "/artifacts_tree", token).status();
                assertThat(listing).as("%s as %s", project.project().path(), token).isEqualTo(file);
            }
            java.util.Map<String, String> jobToken = java.util.Map.of("JOB-TOKEN", project.jobToken());
            assertThat(world.send("GET", base + project.build().id() + "/artifacts_tree", jobToken, null).status())
                    .isEqualTo(world.send("GET", base + project.build().id() + "/artifacts/out/report.txt", jobToken,
                            null).status());
        }
    }

    @Test
    void theByRefListingAndDownloadsNameTheJobAndPipelineTheyPicked() {
        String byRef = "/projects/" + app.project().id() + "/jobs/artifacts/main";
        Response listing = world.get(byRef + "/tree?job=build&path=out", dev);
        assertThat(listing.status()).as(listing.toString()).isEqualTo(200);
        assertThat(listing.json()).hasSize(2);
        assertThat(listing.header("X-Jobyard-Job-Id")).isEqualTo(app.build().id().toString());
        assertThat(listing.header("X-Jobyard-Pipeline-Id")).isEqualTo(app.main().id().toString());

        Response archive = world.get(byRef + "/download?job=build", dev);
        assertThat(archive.status()).isEqualTo(200);
        assertThat(archive.header("X-Jobyard-Job-Id")).isEqualTo(app.build().id().toString());
        assertThat(archive.header("X-Jobyard-Pipeline-Id")).isEqualTo(app.main().id().toString());
        Response file = world.get(byRef + "/raw/out/report.txt?job=build", dev);
        assertThat(file.header("X-Jobyard-Job-Id")).isEqualTo(app.build().id().toString());
        Response feature = world.get("/projects/" + app.project().id()
                + "/jobs/artifacts/feature%2Flogin/tree?job=build", dev);
        assertThat(feature.header("X-Jobyard-Job-Id")).isEqualTo(app.featureBuild().id().toString());
        assertThat(feature.header("X-Jobyard-Pipeline-Id")).isEqualTo(app.feature().id().toString());

        // a download that names its job says nothing more
        assertThat(world.get("/projects/" + app.project().id() + "/jobs/" + app.build().id() + "/artifacts", dev)
                .header("X-Jobyard-Job-Id")).isNull();
        assertError(world.get(byRef + "/tree", dev), 400, "error", "job is missing");
        assertError(world.get(byRef + "/tree?job=nope", dev), 404, "message", "404 Not found");
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
