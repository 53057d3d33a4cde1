package io.jobyard.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.storage.s3.S3ArtifactStore;
import io.jobyard.adapter.storage.s3.S3Settings;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.bootstrap.e2e.HttpApi.Response;
import io.jobyard.bootstrap.e2e.ScriptedRunner.RunningJob;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive tree listing end to end (issue 17), on filesystem storage and on S3 (S3Proxy in-process): a runner
 * uploads a zip made on Unix, and the listing shows its entries with their modes and times from the index built at
 * upload, without a single read of the stored archive; the by-ref listing and download name the job they picked.
 */
class ArtifactTreeEndToEndTest {
    private static final String SHA = "5f923865dde3436854e9ceb9cdb7815618d4e849";
    private static final Instant BUILT = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void onFilesystemStorage() throws Exception {
        try (ServerUnderTest server = new ServerUnderTest(dir, null)) {
            listsTheUploadedArchive(server, null);
        }
    }

    @Test
    void onS3Storage() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("tree", "tree-secret")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "tree", "tree-secret")
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        try {
            org.awaitility.Awaitility.await().until(() -> "STARTED".equals(proxy.getState()));
            S3ArtifactStore s3 = S3ArtifactStore.create(S3Settings.of(URI.create("http://127.0.0.1:"
                    + proxy.getPort()), "us-east-1", "artifacts", "tree", "tree-secret", dir.resolve("s3-staging")));
            s3.createBucketIfMissing();
            AtomicInteger reads = new AtomicInteger();
            try (ServerUnderTest server = new ServerUnderTest(dir, counting(s3, reads))) {
                listsTheUploadedArchive(server, reads);
            }
        } finally {
            proxy.stop();
            context.close();
        }
    }

    /** @param storeReads counts the reads of stored blobs, or null where the store is not watched */
    private static void listsTheUploadedArchive(ServerUnderTest server, AtomicInteger storeReads) throws Exception {
        HttpApi api = server.api();
        String admin = server.adminToken();
        long project = api.json("POST", "/projects", admin, Map.of("name", "tree", "namespace_path", "acme"))
                .json().get("id").asLong();
        ScriptedRunner runner = ScriptedRunner.create(api, admin, "tree runner");
        Response created = api.json("POST", "/projects/" + project + "/pipeline", admin, Map.of("ref", "main",
                "sha", SHA, "ci_config", "build: {script: [make], artifacts: {paths: [out/]}}"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long pipeline = created.json().get("id").asLong();
        RunningJob build = runner.requestJob().orElseThrow();
        Response upload = build.uploadArtifact("archive", "zip", "artifacts.zip", unixZip(), null);
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        assertThat(build.succeed().status()).isEqualTo(200);

        int readsBefore = storeReads == null ? 0 : storeReads.get();
        String tree = "/projects/" + project + "/jobs/" + build.id + "/artifacts_tree";
        Response all = api.get(tree + "?recursive=true", admin);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        // by code point: upper case before lower case
        assertThat(paths(all.json())).containsExactly("out", "out/README.md", "out/bin", "out/bin/app",
                "out/reports", "out/reports/junit.xml");
        JsonNode app = all.json().get(3);
        assertThat(app.get("type").asText()).isEqualTo("file");
        assertThat(app.get("mode").asText()).isEqualTo("100755");
        assertThat(app.get("size").asLong()).isEqualTo(13);
        assertThat(app.get("modified_at").asText()).isEqualTo("2026-03-01T12:00:00.000Z");
        assertThat(all.json().get(0).get("mode").asText()).as("out/ is listed, with its mode").isEqualTo("040755");
        assertThat(all.json().get(2).get("mode").isNull()).as("out/bin/ is known from its file only").isTrue();

        Response reports = api.get(tree + "?path=out&glob=" + "**%2F*.xml&recursive=true", admin);
        assertThat(paths(reports.json())).containsExactly("out/reports/junit.xml");
        List<String> paged = new ArrayList<>();
        String next = tree + "?recursive=true&per_page=4";
        while (next != null) {
            Response page = api.get(next, admin);
            paged.addAll(paths(page.json()));
            String link = page.header("Link");
            next = link == null ? null : link.replaceAll("^<http://jobyard\\.test/api/v4([^>]+)>; rel=\"next\"$", "$1");
        }
        assertThat(paged).isEqualTo(paths(all.json()));

        Response byRef = api.get("/projects/" + project + "/jobs/artifacts/main/tree?job=build&path=out", admin);
        assertThat(paths(byRef.json())).containsExactly("out/README.md", "out/bin", "out/reports");
        assertThat(byRef.header("X-Jobyard-Job-Id")).isEqualTo(Long.toString(build.id));
        assertThat(byRef.header("X-Jobyard-Pipeline-Id")).isEqualTo(Long.toString(pipeline));
        if (storeReads != null) {
            assertThat(storeReads.get()).as("listings never read the archive").isEqualTo(readsBefore);
        }

        Response download = api.get("/projects/" + project + "/jobs/artifacts/main/raw/out/README.md?job=build",
                admin);
        assertThat(download.text()).isEqualTo("# the build\n");
        assertThat(download.header("X-Jobyard-Job-Id")).isEqualTo(Long.toString(build.id));
        assertThat(download.header("X-Jobyard-Pipeline-Id")).isEqualTo(Long.toString(pipeline));
        if (storeReads != null) {
            assertThat(storeReads.get()).as("a download does read it").isGreaterThan(readsBefore);
        }
    }

    private static List<String> paths(JsonNode entries) {
        List<String> paths = new ArrayList<>();
        entries.forEach(entry -> paths.add(entry.get("path").asText()));
        return paths;
    }

    /** The store, counting the reads of stored blobs. */
    private static ArtifactStore counting(ArtifactStore store, AtomicInteger reads) {
        return (ArtifactStore) Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(),
                new Class<?>[] {ArtifactStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("read")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * A zip as gitlab-runner (Go's archive/zip) makes one on Linux: "made by" Unix, with the mode in the external
     * attributes and the extended timestamp. {@code out/bin/} and {@code out/reports/} are not listed themselves.
     */
    private static byte[] unixZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> modes = List.of(040755, 0100755, 0100644, 0100644);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String[][] entries = {{"out/", ""}, {"out/bin/app", "#!/bin/sh\nok\n"}, {"out/README.md", "# the build\n"},
                    {"out/reports/junit.xml", "<testsuites/>\n"}};
            for (String[] entry : entries) {
                ZipEntry zipEntry = new ZipEntry(entry[0]);
                zipEntry.setLastModifiedTime(FileTime.from(BUILT));
                zip.putNextEntry(zipEntry);
                zip.write(entry[1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        int end = zip.length - 22;
        int at = (int) le(zip, end + 16, 4);
        for (int mode : modes) {
            zip[at + 5] = 3;
            long attributes = (long) mode << 16;
            for (int i = 0; i < 4; i++) {
                zip[at + 38 + i] = (byte) (attributes >>> (8 * i));
            }
            at += 46 + (int) le(zip, at + 28, 2) + (int) le(zip, at + 30, 2) + (int) le(zip, at + 32, 2);
        }
        return zip;
    }

    private static long le(byte[] bytes, int at, int length) {
        long value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }
}
