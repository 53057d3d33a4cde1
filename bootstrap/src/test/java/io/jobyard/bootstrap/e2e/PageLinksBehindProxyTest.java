package io.jobyard.bootstrap.e2e;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.endpoint.ApiRoute;
import io.jobyard.adapter.http.hook.HookEndpoints;
import io.jobyard.adapter.http.routing.Router;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import io.jobyard.bootstrap.e2e.HttpApi.Response;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobyard configured as {@code https://ci.example.com/gitlab} and served at the root, as behind a proxy that strips
 * {@code /gitlab}: every list in the route table builds its {@code Link} URLs the same way, on the external URL with its
 * path put back, so a client following them comes back through the proxy. Every GET route of the table is asked; the
 * ones answering with a {@code Link} are exactly the lists, and those that page by keyset ({@code pagination=keyset},
 * issue 17) link their next page the same way, with every parameter the client sent.
 */
class PageLinksBehindProxyTest {
    private static final String EXTERNAL = "https://ci.example.com/gitlab";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final Pattern LINK_URL = Pattern.compile("<([^>]*)>");

    @TempDir
    Path dir;

    private Jobyard jobyard;
    private JobyardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (jobyard != null) {
            jobyard.close();
        }
    }

    @Test
    void everyListLinksToTheExternalUrlWithItsPath() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        jobyard = Jobyard.builder().dataSource(dataSource).filesystemStorage(dir.resolve("storage"))
                .externalUrl(URI.create(EXTERNAL)).build();
        String admin = jobyard.ensureFirstAdministrator(null).orElseThrow();
        server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5), jobyard::ready)
                .start();
        HttpApi api = new HttpApi(URI.create("http://127.0.0.1:" + server.port()));

        long project = api.json("POST", "/api/v4/projects", admin, Map.of("name", "app", "namespace_path", "acme"))
                .json().get("id").asLong();
        Response pipeline = api.json("POST", "/api/v4/projects/" + project + "/pipeline", admin, Map.of("ref", "main",
                "sha", SHA, "ci_config", "build: {script: [make]}\ntest: {script: [make test]}\n"));
        assertThat(pipeline.status()).as(pipeline.toString()).isEqualTo(201);
        long pipelineId = pipeline.json().get("id").asLong();
        // Both jobs run; the first keeps an archive of two files, so that the archive trees (of the job, and of the
        // ref's latest successful pipeline) have a second page. A second pipeline and project give the keyset pages
        // of those lists a second page too.
        ScriptedRunner runner = ScriptedRunner.create(new HttpApi(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v4")), admin, "links runner");
        ScriptedRunner.RunningJob archived = runner.requestJob().orElseThrow();
        assertThat(archived.uploadArtifact("archive", "zip", "artifacts.zip", twoFiles(), null).status())
                .isEqualTo(201);
        assertThat(archived.succeed().status()).isEqualTo(200);
        assertThat(runner.requestJob().orElseThrow().succeed().status()).isEqualTo(200);
        long job = archived.id;
        String archivedName = api.get("/api/v4/projects/" + project + "/jobs/" + job, admin).json().get("name")
                .asText();
        assertThat(api.json("POST", "/api/v4/projects/" + project + "/pipeline", admin, Map.of("ref", "feature",
                "sha", SHA, "ci_config", "build: {script: [make]}\n")).status()).isEqualTo(201);
        assertThat(api.json("POST", "/api/v4/projects", admin, Map.of("name", "lib", "namespace_path", "acme"))
                .status()).isEqualTo(201);
        long user = api.json("POST", "/api/v4/users", admin, Map.of("username", "dev", "name", "Dev",
                "email", "dev@example.com")).json().get("id").asLong();
        assertThat(api.json("POST", "/api/v4/projects/" + project + "/members", admin,
                Map.of("user_id", user, "access_level", 30)).status()).isEqualTo(201);
        Response hook = api.json("POST", "/api/v4/projects/" + project + "/hooks", admin,
                Map.of("url", "http://93.184.216.34/hook", "job_events", true));
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        long hookId = hook.json().get("id").asLong();
        assertThat(api.json("POST", "/api/v4/projects/" + project + "/hooks", admin,
                Map.of("url", "http://93.184.216.35/hook", "pipeline_events", true)).status()).isEqualTo(201);
        for (String name : List.of("one", "two")) {
            Response token = api.json("POST", "/api/v4/users/" + user + "/personal_access_tokens", admin,
                    Map.of("name", name, "scopes", List.of("read_api")));
            assertThat(token.status()).as(token.toString()).isEqualTo(201);
        }

        Map<String, List<String>> linksByTemplate = new TreeMap<>();
        Set<String> keysetTemplates = new TreeSet<>();
        for (Router.Route<ApiRoute> route : routesOf(jobyard)) {
            if (!route.method().equals("GET")) {
                continue;
            }
            String template = route.pattern().template();
            String path = template
                    .replace("/users/:id", "/users/" + user)
                    .replace("/projects/:id", "/projects/" + project)
                    .replace(":pipeline_id", Long.toString(pipelineId))
                    .replace(":job_id", Long.toString(job))
                    .replace("/jobs/:id", "/jobs/" + job)
                    .replace(":user_id", Long.toString(user))
                    .replace(":hook_id", Long.toString(hookId))
                    .replace("/personal_access_tokens/:id", "/personal_access_tokens/1")
                    .replace(":ref_name+", "main")
                    .replace("*artifact_path", "out/file.txt");
            assertThat(path).as(template).doesNotContain(":").doesNotContain("*");
            String query = template.contains(":ref_name+") ? "?per_page=1&job=" + archivedName : "?per_page=1";
            Response response = api.get(path + query, admin);
            String link = response.header("Link");
            if (link == null) {
                continue;
            }
            List<String> urls = new ArrayList<>();
            Matcher url = LINK_URL.matcher(link);
            while (url.find()) {
                urls.add(url.group(1));
            }
            assertThat(urls).as("%s: %s", template, link).isNotEmpty()
                    .allSatisfy(u -> assertThat(u).startsWith(EXTERNAL + path + "?").contains("per_page=1"));
            linksByTemplate.put(template, urls);

            // the same list by keyset, where it pages that way: only a next link, carrying every parameter (a list
            // that ignores the parameter answers an offset page, with its first and last links)
            Response keyset = api.get(path + query + "&pagination=keyset", admin);
            String next = keyset.header("Link");
            if (keyset.status() == 200 && next != null && !next.contains("rel=\"first\"")) {
                assertThat(next).as(template).matches("<[^>]*>; rel=\"next\"")
                        .startsWith("<" + EXTERNAL + path + "?").contains("per_page=1").contains("pagination=keyset")
                        .contains("cursor=").contains(query.contains("job=") ? "job=" + archivedName : "per_page");
                keysetTemplates.add(template);
            }
        }
        assertThat(keysetTemplates).containsExactly(
                "/api/v4/personal_access_tokens",
                "/api/v4/projects",
                "/api/v4/projects/:id/hooks",
                "/api/v4/projects/:id/jobs",
                "/api/v4/projects/:id/jobs/:job_id/artifacts_tree",
                "/api/v4/projects/:id/jobs/artifacts/:ref_name+/tree",
                "/api/v4/projects/:id/members",
                "/api/v4/projects/:id/pipelines",
                "/api/v4/projects/:id/pipelines/:pipeline_id/jobs",
                "/api/v4/users");

        assertThat(linksByTemplate.keySet()).containsExactly(
                "/api/v4/personal_access_tokens",
                "/api/v4/projects",
                "/api/v4/projects/:id/hooks",
                "/api/v4/projects/:id/hooks/:hook_id/events",
                "/api/v4/projects/:id/jobs",
                "/api/v4/projects/:id/jobs/:job_id/artifacts_tree",
                "/api/v4/projects/:id/jobs/artifacts/:ref_name+/tree",
                "/api/v4/projects/:id/members",
                "/api/v4/projects/:id/pipelines",
                "/api/v4/projects/:id/pipelines/:pipeline_id/jobs",
                "/api/v4/users");
    }

    /** An archive of two files at its root. */
    private static byte[] twoFiles() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (String name : List.of("a.txt", "b.txt")) {
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                zip.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The route table Jobyard serves: every group, as {@link Jobyard#httpHandler()} builds it. */
    private static List<Router.Route<ApiRoute>> routesOf(Jobyard jobyard) {
        Jobyard.UseCases u = jobyard.useCases();
        return JobsApi.builder(HttpSettings.of(URI.create(EXTERNAL)), Clock.systemUTC(), u.authenticate())
                .jobs(new JobsApi.JobUseCases(u.listJobs(), u.getJob(), u.readTrace(), u.jobActions(), u.artifacts()))
                .runners(new JobsApi.RunnerUseCases(u.runners(), u.requestJob(), u.updateJob(), u.appendTrace(),
                        u.uploadArtifact(), u.downloadDependency()), JobsApi.Uploads.defaults())
                .pipelines(new JobsApi.PipelineUseCases(u.createPipelineFromConfig(), u.pipelines(), u.ciConfig()))
                .admin(new JobsApi.AdminUseCases(u.users(), u.projects(), u.members(), u.accessTokens(),
                        new HookEndpoints(u.hooks(), u.applicationSettings(), Clock.systemUTC())))
                .build().routes();
    }
}
