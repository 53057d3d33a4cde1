package io.jobyard.bootstrap.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The projects, jobs and pipelines pages list what the API lists to the same visitor. */
class ListPagesHttpTest {
    @TempDir
    static Path dir;
    static WebWorld world;
    static long project;
    static long pipeline;

    @BeforeAll
    static void scene() {
        world = new WebWorld(dir);
        project = world.project("acme", "widgets", "public");
        long hidden = world.project("acme", "hidden-thing", "private");
        long dev = world.user("dev");
        world.member(hidden, dev, 30);
        pipeline = world.pipeline(project, "stages: [build, test]\n"
                + "compile:\n  stage: build\n  script: [make]\n"
                + "unit:\n  stage: test\n  needs: [compile]\n  script: [test]\n"
                + "lint:\n  stage: test\n  script: [lint]\n");
        for (int i = 0; i < 18; i++) {
            world.pipeline(project, "stages: [build]\nonly-" + i + ":\n  stage: build\n  script: [make]\n");
        }
        WebWorld.RunningJob taken = world.take(world.runner());
        world.finish(taken, "failed");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void theFrontPageListsTheProjectsTheVisitorMaySee() {
        assertThat(world.page("/", null).body()).contains("acme/widgets").doesNotContain("acme/hidden-thing");
        String session = world.signIn("dev");
        assertThat(world.page("/", session).body()).contains("acme/widgets").contains("acme/hidden-thing");
    }

    @Test
    void thePipelinePageShowsStagesAsColumnsWithEachJobsStatusAndNeeds() {
        String body = world.page("/acme/widgets/-/pipelines/" + pipeline, null).body();
        assertThat(body).contains("aria-label=\"Stage build\"").contains("aria-label=\"Stage test\"")
                .contains("needs: compile").contains(">compile</a>").contains(">lint</a>")
                .contains("ci-status ci-failed");
        assertThat(body.indexOf("Stage build")).isLessThan(body.indexOf("Stage test"));
        assertThat(world.page("/acme/widgets/-/pipelines/999999", null).status()).isEqualTo(404);
    }

    @Test
    void thePipelinesListPagesByOffset() {
        String first = world.page("/acme/widgets/-/pipelines", null).body();
        assertThat(first).contains("/acme/widgets/-/pipelines/" + pipeline + "\"");
        assertThat(first).doesNotContain("rel=\"next\"");
    }

    @Test
    void theJobsListFiltersByStatusAndPagesByKeyset() {
        String all = world.page("/acme/widgets/-/jobs", null).body();
        assertThat(all).contains(">lint</a>").contains(">only-17</a>").contains("rel=\"next\"");
        String failed = world.page("/acme/widgets/-/jobs?scope=failed", null).body();
        assertThat(failed).contains(">compile</a>").doesNotContain(">lint</a>");
        String next = all.replaceAll("(?s).*href=\"([^\"]+)\" rel=\"next\".*", "$1").replace("&amp;", "&");
        String older = world.page(next, null).body();
        assertThat(older).contains(">compile</a>").doesNotContain(">only-17</a>");
        assertThat(world.page("/acme/hidden-thing/-/jobs", null).status()).isEqualTo(404);
    }
}
