package io.jobyard.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.http.ApiWorld.ProjectJobs;
import io.jobyard.adapter.http.ApiWorld.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint over a running server, through the real services: statuses, bodies and headers clients rely on. */
class JobsApiHttpTest {
    private final ApiWorld world = new ApiWorld();
    private final ProjectJobs app = world.privateProject;
    private final String dev = "pat-dev";
    private final String jobs = "/projects/" + app.project().id() + "/jobs";

    @AfterEach
    void stop() {
        world.close();
    }

    @Nested
    class ProjectJobList {
        @Test
        void newestFirstWithOffsetHeadersButNoTotals() {
            Response response = world.get("/projects/" + app.project().id() + "/jobs?per_page=2&scope[]=success"
                    + "&scope[]=failed&scope[]=manual&scope[]=running", dev);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(ids(response)).isSortedAccordingTo((a, b) -> Long.compare(b, a)).hasSize(2);
            assertThat(response.header("X-Per-Page")).isEqualTo("2");
            assertThat(response.header("X-Page")).isEqualTo("1");
            assertThat(response.header("X-Next-Page")).isEqualTo("2");
            assertThat(response.header("X-Prev-Page")).isEmpty();
            assertThat(response.header("X-Total")).isNull();
            assertThat(response.header("X-Total-Pages")).isNull();
            assertThat(response.header("Link"))
                    .contains("rel=\"next\"").contains("rel=\"first\"").doesNotContain("rel=\"last\"")
                    .doesNotContain("rel=\"prev\"")
                    .startsWith("<" + world.base() + "/api/v4/projects/" + app.project().id() + "/jobs?page=2"
                            + "&per_page=2&scope%5B%5D=success&scope%5B%5D=failed");
        }

        @Test
        void followingNextLinksVisitsEveryJobOnceAndStops() {
            List<Long> seen = new ArrayList<>();
            String url = world.base() + "/api/v4" + jobs + "?per_page=2";
            int pages = 0;
            while (url != null && pages++ < 20) {
                Response response = world.get(url.substring((world.base() + "/api/v4").length()), dev);
                seen.addAll(ids(response));
                url = link(response, "next");
            }
            assertThat(seen).doesNotHaveDuplicates().hasSize(5).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }

        @Test
        void scopeFormsFilterAlike() {
            for (String query : List.of("scope=failed", "scope[]=failed", "scope%5B%5D=failed", "scope[x]=failed")) {
                Response response = world.get(jobs + "?" + query, dev);
                assertThat(response.status()).as(query).isEqualTo(200);
                assertThat(ids(response)).as(query).containsExactly(app.test().id().value());
            }
            assertThat(ids(world.get(jobs + "?scope=failed&scope=manual", dev)))
                    .containsExactly(app.deploy().id().value(), app.test().id().value());
        }

        @Test
        void invalidParametersGetGrapesErrors() {
            assertError(world.get(jobs + "?scope=running,failed", dev), 400, "error",
                    "scope does not have a valid value");
            assertError(world.get(jobs + "?per_page=0", dev), 400, "error", "per_page has a value not allowed");
            assertError(world.get(jobs + "?page=x", dev), 400, "error", "page is invalid");
            assertThat(world.get(jobs + "?per_page=1000", dev).header("X-Per-Page")).isEqualTo("100");
            assertThat(world.get(jobs + "?per_page=-1", dev).header("X-Per-Page")).isEqualTo("20");
        }

        @Test
        void anonymousIsRefusedBeforeParametersAreChecked() {
            assertError(world.get(jobs + "?scope=bogus", null), 401, "message", "401 Unauthorized");
        }

        @Test
        void theOffsetLimitIsGitLabs405AfterTheProjectChecks() {
            assertError(world.get(jobs + "?page=501&per_page=100", dev), 405, "error",
                    "Offset pagination has a maximum allowed offset of 50000 for requests that return objects of "
                            + "type Ci::Build. Remaining records can be retrieved using keyset pagination.");
            assertError(world.get("/projects/99999/jobs?page=501&per_page=100", dev), 404, "message",
                    "404 Project Not Found");
        }

        @Test
        void keysetPagesFollowTheCursorAndEnd() {
            List<Long> seen = new ArrayList<>();
            Response first = world.get(jobs + "?pagination=keyset&per_page=4", dev);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("X-Page")).isNull();
            assertThat(first.header("X-Next-Page")).isNull();
            seen.addAll(ids(first));
            String next = link(first, "next");
            assertThat(next).contains("pagination=keyset").contains("per_page=4").contains("cursor=");
            Response second = world.get(next.substring((world.base() + "/api/v4").length()), dev);
            seen.addAll(ids(second));
            assertThat(link(second, "next")).isNull();
            assertThat(seen).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }

        @Test
        void keysetRefusesUnknownOrdersAndBadCursors() {
            // Jobyard pages every order by keyset (GitLab: id descending only, 405 otherwise)
            assertThat(world.get(jobs + "?pagination=keyset&order_by=created_at", dev).status()).isEqualTo(200);
            assertThat(world.get(jobs + "?pagination=keyset&sort=asc", dev).status()).isEqualTo(200);
            assertError(world.get(jobs + "?pagination=keyset&order_by=name", dev), 400, "error",
                    "order_by does not have a valid value");
            assertError(world.get(jobs + "?pagination=keyset&sort=up", dev), 400, "error",
                    "sort does not have a valid value");
            assertError(world.get(jobs + "?pagination=keyset&cursor=%21%21", dev), 400, "error",
                    "cursor is invalid");
        }

        @Test
        void anUnchangedListAnswers304ToItsETag() {
            Response first = world.get(jobs, dev);
            String etag = first.header("ETag");
            assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]{16}\"");
            Response second = world.send("GET", jobs, Map.of("PRIVATE-TOKEN", dev, "If-None-Match", etag), null);
            assertThat(second.status()).isEqualTo(304);
            assertThat(second.body()).isEmpty();
        }
    }

    @Nested
    class PipelineJobList {
        @Test
        void hasTotalsAndALastLink() {
            Response response = world.get("/projects/" + app.project().id() + "/pipelines/" + app.main().id()
                    + "/jobs?per_page=3", dev);
            assertThat(response.status()).isEqualTo(200);
            assertThat(ids(response)).hasSize(3);
            assertThat(response.header("X-Total")).isEqualTo("4");
            assertThat(response.header("X-Total-Pages")).isEqualTo("2");
            assertThat(response.header("Link")).contains("page=2&per_page=3>; rel=\"last\"");
        }

        @Test
        void refusesAScopeHashButTakesStringsAndArrays() {
            String path = "/projects/" + app.project().id() + "/pipelines/" + app.main().id() + "/jobs";
            assertError(world.get(path + "?scope[a]=failed", dev), 400, "error", "scope does not have a valid value");
            assertThat(ids(world.get(path + "?scope[]=failed", dev))).containsExactly(app.test().id().value());
            assertError(world.get("/projects/" + app.project().id() + "/pipelines/x/jobs", dev), 400, "error",
                    "pipeline_id is invalid");
            assertError(world.get("/projects/" + app.project().id() + "/pipelines/0/jobs", dev), 404, "message",
                    "404 Not found");
        }
    }

    @Nested
    class SingleJob {
        @Test
        void byIdOrByEncodedPath() {
            Response byId = world.get(jobs + "/" + app.build().id(), dev);
            assertThat(byId.status()).isEqualTo(200);
            JsonNode job = byId.json();
            assertThat(job.get("id").asLong()).isEqualTo(app.build().id().value());
            assertThat(job.get("web_url").asText())
                    .isEqualTo(world.base() + "/acme/app/-/jobs/" + app.build().id());
            assertThat(job.get("artifacts_file").get("filename").asText()).isEqualTo("artifacts.zip");
            assertThat(job.has("failure_reason")).isFalse();
            // gitlab4j encodes . - _ too
            for (String id : List.of("acme%2Fapp", "acme%2Fap%70", "%61cme%2F%61pp")) {
                assertThat(world.get("/projects/" + id + "/jobs/" + app.build().id(), dev).json().get("id").asLong())
                        .as(id).isEqualTo(app.build().id().value());
            }
        }

        @Test
        void refusalsKeepGitLabsSpellings() {
            assertError(world.get(jobs + "/abc", dev), 400, "error", "job_id is invalid");
            assertError(world.get(jobs + "/999999", dev), 404, "message", "404 Not found");
            assertError(world.get(jobs + "/" + world.publicProject.build().id(), dev), 404, "message",
                    "404 Not found");
            assertError(world.get("/projects/acme%2Fnope/jobs/1", dev), 404, "message", "404 Project Not Found");
            assertError(world.get(jobs + "/" + app.build().id(), "pat-gus"), 403, "message", "403 Forbidden");
            assertError(world.get(jobs + "/" + app.build().id(), "pat-otto"), 404, "message",
                    "404 Project Not Found");
            assertError(world.get(jobs + "/" + app.build().id(), "wrong-token"), 401, "message", "401 Unauthorized");
        }

        @Test
        void headHasTheHeadersOfGetAndNoBody() {
            Response get = world.get(jobs + "/" + app.build().id(), dev);
            Response head = world.as("HEAD", jobs + "/" + app.build().id(), dev);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Type")).isEqualTo("application/json");
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().length));
        }

        @Test
        void everyResponseCarriesTheSecurityHeaders() {
            for (Response response : List.of(world.get(jobs + "/" + app.build().id(), dev),
                    world.get("/nowhere", dev), world.get(jobs + "/abc", null))) {
                assertThat(response.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
                assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            }
        }

        @Test
        void bearerTokensWork() {
            Response response = world.send("GET", jobs + "/" + app.build().id(),
                    Map.of("Authorization", "Bearer pat-dev"), null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(world.get(jobs + "/" + app.build().id() + "?private_token=pat-dev", null).status())
                    .isEqualTo(200);
        }
    }

    @Nested
    class Trace {
        @Test
        void isPlainTextNamedInfile() {
            Response response = world.send("GET", jobs + "/" + app.build().id() + "/trace",
                    Map.of("PRIVATE-TOKEN", dev, "Accept", "application/json"), null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("text/plain");
            assertThat(response.header("Content-Disposition"))
                    .isEqualTo("infile; filename=\"" + app.build().id() + ".log\"");
            assertThat(response.text()).isEqualTo(ApiWorld.LOG);
        }

        @Test
        void servesRangesAndValidators() {
            String path = jobs + "/" + app.build().id() + "/trace";
            Response part = world.send("GET", path, Map.of("PRIVATE-TOKEN", dev, "Range", "bytes=8-11"), null);
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.text()).isEqualTo(ApiWorld.LOG.substring(8, 12));
            assertThat(part.header("Content-Range")).isEqualTo("bytes 8-11/" + ApiWorld.LOG.length());
            String etag = part.header("ETag");
            assertThat(world.send("GET", path, Map.of("PRIVATE-TOKEN", dev, "If-None-Match", etag), null).status())
                    .isEqualTo(304);
            Response outside = world.send("GET", path, Map.of("PRIVATE-TOKEN", dev, "Range", "bytes=9999-"), null);
            assertThat(outside.status()).isEqualTo(416);
            assertThat(outside.header("Content-Range")).isEqualTo("bytes */" + ApiWorld.LOG.length());
        }

        @Test
        void aJobWithoutALogHasAnEmptyOne() {
            Response response = world.get(jobs + "/" + app.test().id() + "/trace", dev);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(response.header("Content-Type")).isEqualTo("text/plain");
        }
    }

    @Nested
    class Downloads {
        @Test
        void theArchiveStreamsWithItsLengthTypeAndName() {
            Response response = world.get(jobs + "/" + app.build().id() + "/artifacts", dev);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(response.header("Content-Transfer-Encoding")).isEqualTo("binary");
            assertThat(response.header("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"artifacts.zip\"; filename*=UTF-8''artifacts.zip");
            assertThat(response.body()).isEqualTo(ApiWorld.zip());
            assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(ApiWorld.zip().length));
            assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(response.header("Repr-Digest")).startsWith("sha-256=:").endsWith(":");
            assertThat(response.header("Digest")).startsWith("SHA-256=");
        }

        @Test
        void theArchiveHonoursRangesAndETags() {
            String path = jobs + "/" + app.build().id() + "/artifacts";
            byte[] zip = ApiWorld.zip();
            Response part = world.send("GET", path, Map.of("PRIVATE-TOKEN", dev, "Range", "bytes=-100"), null);
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(zip, zip.length - 100, zip.length));
            assertThat(part.header("Content-Range"))
                    .isEqualTo("bytes " + (zip.length - 100) + "-" + (zip.length - 1) + "/" + zip.length);
            Response cached = world.send("GET", path,
                    Map.of("PRIVATE-TOKEN", dev, "If-None-Match", "\"other\", " + part.header("ETag")), null);
            assertThat(cached.status()).isEqualTo(304);
            Response staleIfRange = world.send("GET", path,
                    Map.of("PRIVATE-TOKEN", dev, "Range", "bytes=0-9", "If-Range", "\"stale\""), null);
            assertThat(staleIfRange.status()).isEqualTo(200);
            assertThat(staleIfRange.body()).hasSize(zip.length);
            Response head = world.as("HEAD", path, dev);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(zip.length));
        }

        @Test
        void byRefWithRawOrEncodedSlashes() {
            for (String ref : List.of("feature/login", "feature%2Flogin")) {
                Response response = world.get(jobs + "/artifacts/" + ref + "/download?job=build", dev);
                assertThat(response.status()).as(ref).isEqualTo(200);
                assertThat(response.body()).isEqualTo(ApiWorld.zip());
            }
            assertError(world.get(jobs + "/artifacts/main/download", dev), 400, "error", "job is missing");
            assertError(world.get(jobs + "/artifacts/nope/download?job=build", dev), 404, "message",
                    "404 Not found");
        }

        @Test
        void oneFileByJobIsTypedByItsExtension() {
            Response report = world.get(jobs + "/" + app.build().id() + "/artifacts/out/report.txt", dev);
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.text()).isEqualTo(ApiWorld.REPORT);
            assertThat(report.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            // Workhorse's exact value: no filename* (a Ruby client mis-parses Rails' pair on these).
            assertThat(report.header("Content-Disposition")).isEqualTo("attachment; filename=\"report.txt\"");
            Response html = world.get(jobs + "/" + app.build().id() + "/artifacts/index.html", dev);
            assertThat(html.header("Content-Disposition")).startsWith("attachment;");
            Response accents = world.get(jobs + "/" + app.build().id() + "/artifacts/dir/r%C3%A9sum%C3%A9%20v1.txt",
                    dev);
            assertThat(accents.text()).isEqualTo("accents");
            // Go writes the name's UTF-8 bytes as they are; the client reads header bytes as ISO-8859-1.
            assertThat(new String(accents.header("Content-Disposition").getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8)).isEqualTo("attachment; filename=\"résumé v1.txt\"");
            assertThat(world.get(jobs + "/" + app.build().id() + "/artifacts/a+b.txt", dev).text()).isEqualTo("plus");
            // mime.TypeByExtension on a host with the usual /etc/mime.types, not octet-stream.
            assertThat(world.get(jobs + "/" + app.build().id() + "/artifacts/build.sh", dev).header("Content-Type"))
                    .isEqualTo("text/x-sh; charset=utf-8");
        }

        @Test
        void aStoredEntryServesRanges() {
            String path = jobs + "/" + app.build().id() + "/artifacts/out/data.bin";
            Response part = world.send("GET", path, Map.of("PRIVATE-TOKEN", dev, "Range", "bytes=1000-1999"), null);
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(ApiWorld.BINARY, 1000, 2000));
            assertThat(part.header("Content-Type")).isEqualTo("application/octet-stream");
        }

        @Test
        void impossiblePathsAreRefusedAndMissingOnesAreNotFound() {
            String base = jobs + "/" + app.build().id() + "/artifacts/";
            assertError(world.get(base + "out/missing.txt", dev), 404, "message", "404 Not Found");
            assertError(world.get(base + "bad%00name", dev), 400, "message", "400 Bad request");
            assertError(world.get(base + "bad%FFname", dev), 400, "message", "400 Bad request");
            for (String traversal : List.of("%2e%2e/%2e%2e/etc/passwd", "out/..%2F..%2Fsecret", "..%5Cwin",
                    "%2Fetc%2Fpasswd")) {
                Response response = world.get(base + traversal, dev);
                assertThat(response.status()).as(traversal).isIn(400, 404);
            }
        }

        @Test
        void oneFileByRefIsSniffedLikeWorkhorse() {
            String base = jobs + "/artifacts/feature/login/raw/";
            Response html = world.get(base + "index.html?job=build", dev);
            assertThat(html.status()).isEqualTo(200);
            assertThat(html.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(html.header("Content-Disposition")).isEqualTo("attachment; filename=\"index.html\"");
            assertThat(world.get(base + "logo.svg?job=build", dev).header("Content-Type")).isEqualTo("image/svg+xml");
            assertThat(world.get(base + "build.sh?job=build", dev).header("Content-Type"))
                    .isEqualTo("text/plain; charset=utf-8");
            assertThat(world.get(base + "out/data.bin?job=build", dev).header("Content-Type"))
                    .isEqualTo("application/octet-stream");
            Response encoded = world.get(jobs + "/artifacts/feature%2Flogin/raw/out%2Freport.txt?job=build", dev);
            assertThat(encoded.text()).isEqualTo(ApiWorld.REPORT);
            assertThat(world.as("HEAD", base + "index.html?job=build", dev).header("Content-Type"))
                    .isEqualTo("text/plain; charset=utf-8");
        }
    }

    @Nested
    class Actions {
        @Test
        void cancelIs201WithTheJob() {
            Response response = world.send("POST", jobs + "/" + app.running().id() + "/cancel",
                    Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/json"), "{}");
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.json().get("status").asText()).isEqualTo("canceled");
        }

        @Test
        void cancelOfAFinishedJobReturnsItUnchanged() {
            Response response = world.send("POST", jobs + "/" + app.build().id() + "/cancel",
                    Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/x-www-form-urlencoded"), "");
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.json().get("status").asText()).isEqualTo("success");
        }

        @Test
        void forceCancelNeedsAMaintainer() {
            assertError(world.send("POST", jobs + "/" + app.running().id() + "/cancel?force=true",
                    Map.of("PRIVATE-TOKEN", dev), null), 403, "message", "403 Forbidden");
            assertError(world.send("POST", jobs + "/" + app.running().id() + "/cancel",
                    Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/json"), "{\"force\":\"maybe\"}"),
                    400, "error", "force is invalid");
        }

        @Test
        void retryIs201WithTheNewJob() {
            Response response = world.as("POST", jobs + "/" + app.test().id() + "/retry", dev);
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.json().get("id").asLong()).isNotEqualTo(app.test().id().value());
            assertThat(response.json().get("name").asText()).isEqualTo("test");
        }

        @Test
        void retryOfAJobThatCannotBeRetriedIs403WithTheReason() {
            assertError(world.as("POST", jobs + "/" + app.deploy().id() + "/retry", dev), 403, "message",
                    "403 Forbidden - Job is not retryable");
        }

        @Test
        void eraseIs201AndTheJobLosesItsArtifacts() {
            Response response = world.as("POST", jobs + "/" + app.build().id() + "/erase", "pat-max");
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.json().get("erased_at").isNull()).isFalse();
            assertThat(response.json().get("artifacts")).isEmpty();
            assertThat(response.json().has("artifacts_file")).isFalse();
        }

        @Test
        void playIs200AndTakesVariables() {
            Response response = world.send("POST", jobs + "/" + app.deploy().id() + "/play",
                    Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/json"),
                    "{\"job_variables_attributes\":[{\"key\":\"TARGET\",\"value\":\"prod\"}]}");
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.json().get("status").asText()).isNotEqualTo("manual");
            assertThat(world.reload(app.deploy()).spec().variables())
                    .containsExactly(io.jobyard.domain.job.JobVariable.of("TARGET", "prod"));
        }

        @Test
        void playRefusesIncompleteVariablesAndBrokenJson() {
            String path = jobs + "/" + app.deploy().id() + "/play";
            assertError(world.send("POST", path, Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/json"),
                    "{\"job_variables_attributes\":[{\"value\":\"prod\"}]}"), 400, "error",
                    "job_variables_attributes[0][key] is missing");
            assertError(world.send("POST", path, Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/json"),
                    "{not json"), 400, "error", "message body does not match declared format");
            assertThat(world.reload(app.deploy()).status()).isEqualTo(io.jobyard.domain.job.JobStatus.MANUAL);
            assertError(world.as("POST", jobs + "/" + app.build().id() + "/play", dev), 400, "message",
                    "400 Bad request - Unplayable Job");
        }

        @Test
        void keepIs200OnBothPaths() {
            for (String path : List.of("/artifacts/keep", "/keep")) {
                Response response = world.as("POST", jobs + "/" + app.build().id() + path, dev);
                assertThat(response.status()).as(path + " " + response).isEqualTo(200);
                assertThat(response.json().get("artifacts_expire_at").isNull()).isTrue();
            }
        }

        @Test
        void deletingJobArtifactsIs204WithNoBody() {
            Response response = world.send("DELETE", jobs + "/" + app.build().id() + "/artifacts",
                    Map.of("PRIVATE-TOKEN", "pat-max", "Content-Type", "application/json"), "{}");
            assertThat(response.status()).as(response.toString()).isEqualTo(204);
            assertThat(response.body()).isEmpty();
            assertThat(response.header("Content-Type")).isNull();
            assertError(world.get(jobs + "/" + app.build().id() + "/artifacts", dev), 404, "message", "404 Not Found");
        }

        @Test
        void deletingProjectArtifactsIs202WithAMessage() {
            Response response = world.as("DELETE", "/projects/" + app.project().id() + "/artifacts", "pat-max");
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.json().get("message").asText()).isEqualTo("202 Accepted");
            assertError(world.as("DELETE", "/projects/" + app.project().id() + "/artifacts", dev), 403, "message",
                    "403 Forbidden");
        }

        @Test
        void aReadOnlyTokenMayNotWrite() {
            Response response = world.as("POST", jobs + "/" + app.running().id() + "/cancel", "ro-dev");
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.json().get("error").asText()).isEqualTo("insufficient_scope");
            assertThat(world.get(jobs + "/" + app.build().id(), "ro-dev").status()).isEqualTo(200);
        }
    }

    @Nested
    class JobToken {
        @Test
        void getJobAnswersForTheTokensJob() {
            Response response = world.send("GET", "/job", Map.of("JOB-TOKEN", app.jobToken()), null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("id").asLong()).isEqualTo(app.running().id().value());
            assertThat(world.get("/job?job_token=" + app.jobToken(), null).status()).isEqualTo(200);
            assertThat(world.get("/job?token=" + app.jobToken(), null).status()).isEqualTo(200);
            assertThat(world.send("GET", "/job", Map.of("Authorization", "Bearer " + app.jobToken()), null).status())
                    .isEqualTo(200);
        }

        @Test
        void getJobRefusesOtherCredentials() {
            assertError(world.get("/job", dev), 404, "message", "404 Job Not Found");
            assertError(world.get("/job", null), 401, "message", "401 Unauthorized");
            assertError(world.send("GET", "/job", Map.of("JOB-TOKEN", "jt-unknown"), null), 401, "message",
                    "401 Unauthorized");
        }

        @Test
        void aJobTokenListsAndDownloadsButIsIgnoredElsewhere() {
            Map<String, String> token = Map.of("JOB-TOKEN", app.jobToken());
            assertThat(world.send("GET", jobs, token, null).status()).isEqualTo(200);
            assertThat(world.send("GET", jobs + "/" + app.build().id() + "/artifacts", token, null).status())
                    .isEqualTo(200);
            assertError(world.send("GET", jobs + "/" + app.build().id(), token, null), 401, "message",
                    "401 Unauthorized");
            assertError(world.send("GET", "/projects/" + world.publicProject.project().id() + "/jobs", token, null),
                    403, "message", "403 Forbidden - Authentication by CI/CD job token not allowed from acme/app to "
                            + "acme/site.");
        }
    }

    @Nested
    class Routing {
        @Test
        void unknownRoutesAreGitLabs404() {
            assertError(world.get("/nowhere", dev), 404, "error", "404 Not Found");
            assertError(world.get("/projects/1/jobs/1/nothing", dev), 404, "error", "404 Not Found");
        }

        @Test
        void aKnownPathWithAnotherMethodIs405AfterAuthentication() {
            Response response = world.as("PUT", jobs + "/" + app.build().id(), dev);
            assertError(response, 405, "error", "405 Not Allowed");
            assertThat(response.header("Allow")).isEqualTo("OPTIONS, GET, HEAD");
            assertError(world.as("PUT", jobs + "/" + app.build().id(), null), 401, "message", "401 Unauthorized");
            assertThat(world.as("DELETE", jobs + "/" + app.build().id() + "/cancel", dev).header("Allow"))
                    .isEqualTo("OPTIONS, POST");
            Response options = world.as("OPTIONS", jobs + "/" + app.build().id() + "/artifacts", dev);
            assertThat(options.status()).isEqualTo(204);
            assertThat(options.header("Allow")).isEqualTo("OPTIONS, GET, HEAD, DELETE");
        }

        @Test
        void theRawPathIsRoutedWhateverTheServerDecodes() {
            Response response = RawHttp.send(world.port, "GET", "/api/v4/projects/acme%2Fapp/jobs/"
                    + app.build().id(), Map.of("PRIVATE-TOKEN", dev), null);
            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        void aGetWithAJsonContentTypeAndNoBodyIsFine() {
            assertThat(world.send("GET", jobs, Map.of("PRIVATE-TOKEN", dev, "Content-Type", "application/json"),
                    null).status()).isEqualTo(200);
        }
    }

    static List<Long> ids(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        response.json().forEach(job -> ids.add(job.get("id").asLong()));
        return ids;
    }

    static String link(Response response, String rel) {
        String header = response.header("Link");
        if (header == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("<([^>]+)>; rel=\"" + rel + "\"").matcher(header);
        return matcher.find() ? matcher.group(1) : null;
    }

    static void assertError(Response response, int status, String key, String text) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json().size()).as(response.toString()).isEqualTo(1);
        assertThat(response.json().get(key).asText()).as(response.toString()).isEqualTo(text);
    }
}
