package io.jobyard.adapter.http.routing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {
    private final Router<String> router = Router.<String>builder()
            .add("GET", "/projects/:id/jobs/artifacts/:ref_name+/download", "archiveByRef")
            .add("GET", "/projects/:id/jobs/:job_id/artifacts", "archive")
            .add("GET", "/projects/:id/jobs/artifacts/:ref_name+/raw/*artifact_path", "fileByRef")
            .add("GET", "/projects/:id/jobs/:job_id/artifacts/*artifact_path", "file")
            .add("DELETE", "/projects/:id/jobs/:job_id/artifacts", "deleteArtifacts")
            .add("GET", "/projects/:id/jobs", "list")
            .add("GET", "/projects/:id/jobs/:job_id", "get")
            .add("POST", "/projects/:id/jobs/:job_id/cancel", "cancel")
            .build();

    @Test
    void aProjectPathWithEncodedSlashesIsOneSegment() {
        Router.Matched<String> matched = matched("GET", "/projects/group%2Fsub%2Fapp/jobs/42");
        assertThat(matched.route().target()).isEqualTo("get");
        assertThat(matched.rawParams()).containsExactly(Map.entry("id", "group%2Fsub%2Fapp"), Map.entry("job_id", "42"));
    }

    @Test
    void aRefMayHaveRawSlashes() {
        Router.Matched<String> matched = matched("GET", "/projects/1/jobs/artifacts/feature/login/download");
        assertThat(matched.route().target()).isEqualTo("archiveByRef");
        assertThat(matched.rawParams().get("ref_name")).isEqualTo("feature/login");
    }

    @Test
    void theRefOfARawRouteEndsAtTheLastRawSegment() {
        Router.Matched<String> matched = matched("GET", "/projects/1/jobs/artifacts/raw/x/raw/out/raw/report.txt");
        assertThat(matched.route().target()).isEqualTo("fileByRef");
        assertThat(matched.rawParams().get("ref_name")).isEqualTo("raw/x/raw/out");
        assertThat(matched.rawParams().get("artifact_path")).isEqualTo("report.txt");
    }

    @Test
    void anArtifactPathKeepsItsSlashes() {
        Router.Matched<String> matched = matched("GET", "/projects/1/jobs/7/artifacts/out/dir/report%20v1.txt");
        assertThat(matched.route().target()).isEqualTo("file");
        assertThat(matched.rawParams().get("artifact_path")).isEqualTo("out/dir/report%20v1.txt");
    }

    @Test
    void byRefRoutesWinOverJobIdRoutesBecauseTheirLiteralSegmentIsMoreSpecific() {
        assertThat(matched("GET", "/projects/1/jobs/artifacts/main/download").route().target())
                .isEqualTo("archiveByRef");
    }

    @Test
    void headIsAnsweredByGetRoutes() {
        assertThat(matched("HEAD", "/projects/1/jobs").route().target()).isEqualTo("list");
    }

    @Test
    void aKnownPathWithAnotherMethodListsWhatIsAllowed() {
        Router.Resolution<String> resolution = router.resolve("PUT", "/projects/1/jobs/7/artifacts");
        assertThat(resolution).isInstanceOf(Router.WrongMethod.class);
        assertThat(((Router.WrongMethod<String>) resolution).allowed())
                .containsExactly("OPTIONS", "GET", "HEAD", "DELETE");
    }

    @Test
    void anUnknownPathIsUnmatched() {
        assertThat(router.resolve("GET", "/projects/1/nothing")).isInstanceOf(Router.Unmatched.class);
        assertThat(router.resolve("GET", "/projects/a/b/jobs")).isInstanceOf(Router.Unmatched.class);
    }

    @Test
    void normalizationDropsTrailingAndRepeatedSlashesButNotEncodedOnes() {
        assertThat(RawPath.normalize("/projects//1/jobs/")).isEqualTo("/projects/1/jobs");
        assertThat(RawPath.normalize("/projects/a%2F%2Fb/jobs")).isEqualTo("/projects/a%2F%2Fb/jobs");
        assertThat(RawPath.normalize("")).isEqualTo("/");
        assertThat(RawPath.normalize("job")).isEqualTo("/job");
    }

    @Test
    void theMountPrefixIsRemovedFromTheRawPathBySlashCount() {
        assertThat(RawPath.strip("/api/v4/projects/a%2Fb/jobs", "/api/v4", "/projects/a%2Fb/jobs"))
                .isEqualTo("/projects/a%2Fb/jobs");
        // Undertow decoded %41 to A in its copy; the raw path keeps it and still splits at the same slash
        assertThat(RawPath.strip("/%41pi/v4/job", "/Api/v4", "/job")).isEqualTo("/job");
        assertThat(RawPath.strip("/api/v4/job", "/api/v4/", "job")).isEqualTo("/job");
        assertThat(RawPath.strip("/api/v4", "/api/v4", "")).isEqualTo("/");
        assertThat(RawPath.strip("/projects/1", "", "/projects/1")).isEqualTo("/projects/1");
    }

    @Test
    void pagesOutsideTheApiShareTheTableWithoutTakingItsPaths() {
        Router<String> table = Router.<String>builder()
                .add("GET", "/api/v4/projects/:id/jobs/:job_id", "api job")
                .add("GET", "/api/v4/projects/:id/jobs/:job_id/trace", "api trace")
                .add("GET", "/:namespace/:project/-/jobs/:id", "job page")
                .add("GET", "/:namespace/:project/-/jobs/:id/raw", "raw log page")
                .build();
        assertThat(((Router.Matched<String>) table.resolve("GET", "/acme/app/-/jobs/7")).route().target())
                .isEqualTo("job page");
        assertThat(((Router.Matched<String>) table.resolve("GET", "/acme/app/-/jobs/7/raw")).route().target())
                .isEqualTo("raw log page");
        assertThat(((Router.Matched<String>) table.resolve("GET", "/api/v4/projects/1/jobs/7")).route().target())
                .isEqualTo("api job");
    }

    @Test
    void nestedNamespacesSplitAtTheDashSeparatorAndNowhereElse() {
        Router<String> table = Router.<String>builder()
                .add("GET", "/:project~/-/jobs/:id", "job page")
                .add("GET", "/:project~/-/jobs/:id/raw", "raw log page")
                .add("GET", "/:project~/-/jobs/:id/artifacts/browse/*path", "browse")
                .add("GET", "/:project~/-/pipelines/:id", "pipeline page")
                .add("GET", "/users/sign_in", "sign in")
                .build();
        Router.Matched<String> nested = (Router.Matched<String>) table.resolve("GET", "/acme/tools/app/-/jobs/7");
        assertThat(nested.route().target()).isEqualTo("job page");
        assertThat(nested.rawParams()).containsEntry("project", "acme/tools/app").containsEntry("id", "7");

        // a file called "x/-/jobs/1/raw" inside an archive is a path to browse, not a project named ".../browse/x"
        Router.Matched<String> browse = (Router.Matched<String>) table.resolve("GET",
                "/acme/app/-/jobs/1/artifacts/browse/x/-/jobs/1/raw");
        assertThat(browse.route().target()).isEqualTo("browse");
        assertThat(browse.rawParams()).containsEntry("project", "acme/app").containsEntry("path", "x/-/jobs/1/raw");

        assertThat(table.resolve("GET", "/-/jobs/7")).isInstanceOf(Router.Unmatched.class);
        assertThat(table.resolve("GET", "/acme/-/-/jobs/7")).isInstanceOf(Router.Unmatched.class);
        assertThat(((Router.Matched<String>) table.resolve("GET", "/users/sign_in")).route().target())
                .isEqualTo("sign in");
    }

    private Router.Matched<String> matched(String method, String path) {
        Router.Resolution<String> resolution = router.resolve(method, path);
        assertThat(resolution).isInstanceOf(Router.Matched.class);
        return (Router.Matched<String>) resolution;
    }
}
