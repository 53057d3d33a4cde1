package io.jobyard.bootstrap.web;

import io.jobyard.adapter.http.web.Pages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.jobyard.bootstrap.web.WebWorld.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job page, its raw log and its forms over real HTTP: GitLab's paths (nested namespaces too), the log rendered
 * with colours and sections but never as markup, the Content-Security-Policy, sign-in, and CSRF on every form.
 */
class JobPageHttpTest {
    static final String XSS_NAME = "<img src=x onerror=alert(1)>";
    static final String XSS_LOG = "<script>alert('log')</script>\"onerror=alert(2)";

    @TempDir
    static Path dir;
    static WebWorld world;
    static long project;
    static long privateProject;
    static WebWorld.RunningJob job;
    static String logText;

    @BeforeAll
    static void scene() {
        world = new WebWorld(dir);
        project = world.project("acme/tools", "widgets", "public");
        privateProject = world.project("acme", "secret", "private");
        long dev = world.user("dev");
        world.member(project, dev, 30);
        world.user("outsider");
        world.pipeline(project, "stages: [build, test]\n"
                + "\"" + XSS_NAME + "\":\n  stage: build\n  script: [make]\n"
                + "unit:\n  stage: test\n  needs: [\"" + XSS_NAME + "\"]\n  script: [test]\n");
        job = world.take(world.runner());
        logText = "\u001b[0Ksection_start:1700000000:prepare[collapsed=true]\r\u001b[0K\u001b[36;1mPreparing\u001b[0;m\n"
                + "hidden detail\n"
                + "section_end:1700000065:prepare\r\u001b[0K\n"
                + "\u001b[31mred text\u001b[0m\n"
                + XSS_LOG + "\n";
        world.append(job, logText);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String jobPath() {
        return "/acme/tools/widgets/-/jobs/" + job.id();
    }

    @Test
    void aPublicJobPageRendersForAnonymousVisitorsWithStatusColoursSectionsAndLineLinks() {
        WebWorld.Reply page = world.page(jobPath(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("running")                                      // status in words
                .contains("class=\"ci-status ci-running\"")
                .contains("<span class=\"term-fg-red\">red text</span>")
                .contains("<details class=\"log-section\" data-section=\"prepare\">") // collapsed: no open
                .contains("<span class=\"section-duration\">01:05</span>")
                .contains("<a class=\"ln\" href=\"#L1\">1</a>")
                .contains("id=\"L4\"")
                .contains("Raw log")
                .doesNotContain("section_start");
        // anonymous: no forms that act
        assertThat(page.body()).doesNotContain("id=\"retry\"").contains("Sign in");
    }

    @Test
    void everyPageIsSentWithAStrictContentSecurityPolicyAndItsScriptAndStyleAreFiles() {
        WebWorld.Reply page = world.page(jobPath(), null);
        assertThat(page.header("Content-Security-Policy")).isEqualTo(Pages.CONTENT_SECURITY_POLICY)
                .contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.body()).doesNotContainPattern("<script>[^<]")   // no inline script anywhere
                .doesNotContain(" style=").doesNotContain("<style");
        WebWorld.Reply js = world.page("/-/static/jobyard.js", null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.body()).contains("EventSource").doesNotContain("eval(");
        assertThat(world.page("/-/static/jobyard.css", null).header("Content-Type")).startsWith("text/css");
        assertThat(world.page("/-/static/nothing.js", null).status()).isEqualTo(404);
    }

    @Test
    void payloadsInJobNamesAndLogLinesRenderInert() {
        String body = world.page(jobPath(), null).body();
        // Markup characters are escaped; quotes in text content are harmless and stay (JTE escapes them in attributes)
        assertThat(body).doesNotContain(XSS_NAME).doesNotContain("<script>alert").doesNotContain("<img")
                .contains("<span class=\"job-name\">&lt;img src=x onerror=alert(1)&gt;</span>")
                .contains("<span class=\"lt\">&lt;script&gt;alert('log')&lt;/script&gt;\"onerror=alert(2)</span>");
    }

    @Test
    void theRawLogIsTheStoredBytesAsPlainText() {
        WebWorld.Reply raw = world.page(jobPath() + "/raw", null);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(raw.header("Content-Disposition")).startsWith("inline");
        assertThat(raw.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(raw.body()).startsWith(logText).isEqualTo(world.admin("GET", "/projects/" + project + "/jobs/"
                + job.id() + "/trace", null).body());
    }

    @Test
    void aFollowerGetsTheLinesAppendedAfterItsOffsetRenderedAndNumberedOn() {
        String page = world.page(jobPath(), null).body();
        String offset = page.replaceAll("(?s).*data-offset=\"(\\d+)\".*", "$1");
        String nextLine = page.replaceAll("(?s).*data-next-line=\"(\\d+)\".*", "$1");
        WebWorld.Reply nothingYet = world.page(jobPath() + "/log?offset=" + offset + "&line=" + nextLine, null);
        assertThat(nothingYet.body()).isBlank();
        assertThat(nothingYet.header("X-Log-Offset")).isEqualTo(offset);

        WebWorld.RunningJob other = job;
        world.append(other, "\u001b[32mnew line\u001b[0m\nunfinished");
        WebWorld.Reply more = world.page(jobPath() + "/log?offset=" + offset + "&line=" + nextLine, null);
        assertThat(more.body()).contains("id=\"L" + nextLine + "\"").contains("<span class=\"term-fg-green\">new line")
                .doesNotContain("unfinished");
        assertThat(Long.parseLong(more.header("X-Log-Offset")))
                .isEqualTo(Long.parseLong(offset) + "\u001b[32mnew line\u001b[0m\n".length());
        assertThat(more.header("X-Job-Status")).isEqualTo("running");
        assertThat(more.header("X-Log-Complete")).isEqualTo("false");
    }

    @Test
    void aPrivateProjectsJobIsAnHtmlNotFoundForAnonymousVisitorsAndBadIdsToo() {
        long secretPipeline = world.pipeline(privateProject, "build:\n  script: [make]\n");
        assertThat(secretPipeline).isPositive();
        WebWorld.Reply hidden = world.page("/acme/secret/-/jobs/" + (job.id() + 1), null);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(hidden.body()).contains("404 Project Not Found");
        assertThat(world.page("/acme/tools/widgets/-/jobs/abc", null).status()).isEqualTo(404);
        assertThat(world.page("/acme/tools/widgets/-/jobs/99999", null).body()).contains("404 Not found");
    }

    @Test
    void signInSetsAnHttpOnlyLaxSessionCookieAndAWrongPasswordIsRefusedWithDevisesWords() {
        WebWorld.Reply form = world.page("/users/sign_in", null);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"password\"").contains("personal_access_token");

        WebWorld.SignInForm signInForm = world.signInForm();
        WebWorld.Reply wrong = world.submitSignIn(signInForm, "login", "dev", "password", "not the password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Invalid login or password.");
        assertThat(wrong.header("Set-Cookie")).doesNotContain("_jobyard_session");

        WebWorld.Reply right = world.submitSignIn(signInForm, "login", "dev", "password", WebWorld.PASSWORD,
                "redirect_to", jobPath());
        assertThat(right.status()).isEqualTo(303);
        assertThat(right.header("Location")).isEqualTo(jobPath());
        assertThat(right.header("Set-Cookie")).startsWith("_jobyard_session=").contains("; Path=/")
                .contains("; HttpOnly").contains("; SameSite=Lax").doesNotContain("Secure");

        WebWorld.Reply offsite = world.submitSignIn(world.signInForm(), "login", "dev", "password", WebWorld.PASSWORD,
                "redirect_to", "//evil.example/");
        assertThat(offsite.header("Location")).isEqualTo("/");
    }

    @Test
    void aSignInPostedFromElsewhereIsRefusedAndAStaleSessionCookieDoesNotStandInTheWay() {
        // login CSRF: a foreign page cannot sign the visitor in as someone else
        WebWorld.Reply foreign = world.send("POST", "/users/sign_in", Map.of(),
                form("login", "dev", "password", WebWorld.PASSWORD));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Set-Cookie")).doesNotContain("_jobyard_session");
        WebWorld.SignInForm mine = world.signInForm();
        WebWorld.SignInForm theirs = world.signInForm();
        WebWorld.Reply mixed = world.send("POST", "/users/sign_in", mine.headers(),
                form("login", "dev", "password", WebWorld.PASSWORD, "authenticity_token", theirs.token()));
        assertThat(mixed.status()).isEqualTo(403);

        // a browser still holding an ended session signs in as usual
        WebWorld.SignInForm form = world.signInForm();
        WebWorld.Reply stale = world.send("POST", "/users/sign_in",
                Map.of("Cookie", "_jobyard_sign_in=" + form.cookie() + "; _jobyard_session=long-gone-session"),
                form("login", "dev", "password", WebWorld.PASSWORD, "authenticity_token", form.token()));
        assertThat(stale.status()).isEqualTo(303);
    }

    @Test
    void aSignedInDeveloperSeesTheActionsAndTheirFormsNeedTheSessionsCsrfToken() {
        String session = world.signIn("dev");
        WebWorld.Reply page = world.page(jobPath(), session);
        assertThat(page.body()).contains("Signed in as <strong>dev</strong>").contains("id=\"cancel\"");
        String token = WebWorld.csrf(page);

        WebWorld.Reply forged = world.post(jobPath() + "/cancel", session, "");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(world.post(jobPath() + "/cancel", session, form("authenticity_token", "x" + token)).status())
                .isEqualTo(403);
        assertThat(world.page(jobPath(), session).body()).contains("ci-status ci-running");

        // another session's token is no token for this one
        String otherSession = world.signIn("dev");
        String otherToken = WebWorld.csrf(world.page(jobPath(), otherSession));
        assertThat(world.post(jobPath() + "/cancel", session, form("authenticity_token", otherToken)).status())
                .isEqualTo(403);
    }

    @Test
    void anOutsiderSignedInGetsNoActionButtonsAndTheUseCaseRefusesTheForm() {
        String session = world.signIn("outsider");
        WebWorld.Reply page = world.page(jobPath(), session);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"cancel\"");
        WebWorld.Reply refused = world.post(jobPath() + "/cancel", session,
                form("authenticity_token", WebWorld.csrf(page)));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void anAnonymousFormIsSentToSignIn() {
        WebWorld.Reply redirected = world.post(jobPath() + "/retry", null, "");
        assertThat(redirected.status()).isEqualTo(303);
        assertThat(redirected.header("Location")).isEqualTo("/users/sign_in?redirect_to=%2Facme%2Ftools%2Fwidgets"
                + "%2F-%2Fjobs%2F" + job.id() + "%2Fretry");
    }

    @Test
    void theSessionAuthenticatesApiReadsButApiWritesOnlyWithTheCsrfHeader() {
        String session = world.signIn("dev");
        String api = "/api/v4/projects/" + project + "/jobs/" + job.id();
        Map<String, String> cookie = Map.of("Cookie", "_jobyard_session=" + session);
        assertThat(world.send("GET", api, Map.of(), null).status()).isEqualTo(401);
        assertThat(world.send("GET", api, cookie, null).status()).isEqualTo(200);
        assertThat(world.send("GET", api + "/trace", cookie, null).body()).isEqualTo(logText.substring(0, 0)
                + world.send("GET", api + "/trace", Map.of("PRIVATE-TOKEN", WebWorld.ADMIN), null).body());

        assertThat(world.send("POST", "/api/v4/projects/" + project + "/jobs/" + job.id() + "/erase", cookie, "")
                .status()).isEqualTo(401);
        String token = WebWorld.csrf(world.page(jobPath(), session));
        WebWorld.Reply withHeader = world.send("GET", "/api/v4/user",
                Map.of("Cookie", "_jobyard_session=" + session, "X-CSRF-Token", token), null);
        assertThat(withHeader.json().get("username").asText()).isEqualTo("dev");
        WebWorld.Reply keep = world.send("POST", "/api/v4/projects/" + project + "/pipelines/999999/cancel",
                Map.of("Cookie", "_jobyard_session=" + session, "X-CSRF-Token", token), "");
        assertThat(keep.status()).isEqualTo(404); // authenticated (not 401), then no such pipeline
    }

    @Test
    void signingOutEndsTheSessionEverywhere() {
        String session = world.signIn("dev");
        String token = WebWorld.csrf(world.page(jobPath(), session));
        assertThat(world.post("/users/sign_out", session, "").status()).isEqualTo(403);
        WebWorld.Reply out = world.post("/users/sign_out", session, form("authenticity_token", token));
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(world.page(jobPath(), session).body()).doesNotContain("Signed in as");
        assertThat(world.send("GET", "/api/v4/user", Map.of("Cookie", "_jobyard_session=" + session), null).status())
                .isEqualTo(401);
    }
}
