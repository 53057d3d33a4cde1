package io.jobyard.bootstrap.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The artifacts browser lists an archive from its entry index and links every file and the whole archive. */
class ArtifactPagesHttpTest {
    static final String XSS_FILE = "<img src=x onerror=alert(1)>.txt";

    @TempDir
    static Path dir;
    static WebWorld world;
    static WebWorld.RunningJob job;

    @BeforeAll
    static void scene() {
        world = new WebWorld(dir);
        long project = world.project("acme", "widgets", "public");
        world.pipeline(project, "build:\n  script: [make]\n");
        job = world.take(world.runner());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.html", "<script>alert('artifact')</script>");
        files.put("dir/" + XSS_FILE, "payload");
        files.put("dir/sub/deep.txt", "deep");
        world.uploadArchive(job, files);
        world.finish(job, "success");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String jobPath() {
        return "/acme/widgets/-/jobs/" + job.id();
    }

    @Test
    void theRootListsFilesAndDirectoriesWithLinks() {
        WebWorld.Reply root = world.page(jobPath() + "/artifacts/browse", null);
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).contains("href=\"" + jobPath() + "/artifacts/browse/dir\">dir/</a>")
                .contains("href=\"" + jobPath() + "/artifacts/raw/report.html\" download>report.html</a>")
                .contains("href=\"" + jobPath() + "/artifacts/download\"");
        assertThat(world.page(jobPath(), null).body()).contains("id=\"artifacts-browse\"");
    }

    @Test
    void aDirectoryListsItsChildrenAndFileNamesRenderInert() {
        String body = world.page(jobPath() + "/artifacts/browse/dir", null).body();
        assertThat(body).contains(">sub/</a>").contains("&lt;img src=x onerror=alert(1)&gt;.txt</a>")
                .doesNotContain("<img").contains("/artifacts/raw/dir/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt")
                .doesNotContain("deep.txt");
        assertThat(world.page(jobPath() + "/artifacts/browse/dir/sub", null).body()).contains(">deep.txt</a>");
        assertThat(world.page(jobPath() + "/artifacts/browse/nothing", null).status()).isEqualTo(404);
    }

    @Test
    void filesAndTheArchiveDownloadAsAttachmentsSoArtifactHtmlNeverRunsHere() {
        WebWorld.Reply html = world.page(jobPath() + "/artifacts/raw/report.html", null);
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.header("Content-Disposition")).startsWith("attachment");
        assertThat(html.body()).isEqualTo("<script>alert('artifact')</script>");
        WebWorld.Reply encoded = world.page(jobPath()
                + "/artifacts/raw/dir/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt", null);
        assertThat(encoded.body()).isEqualTo("payload");
        WebWorld.Reply archive = world.page(jobPath() + "/artifacts/download", null);
        assertThat(archive.status()).isEqualTo(200);
        assertThat(archive.header("Content-Disposition")).startsWith("attachment");
        assertThat(archive.header("Content-Type")).isEqualTo("application/octet-stream");
    }
}
