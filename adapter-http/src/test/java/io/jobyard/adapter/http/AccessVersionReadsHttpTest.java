package io.jobyard.adapter.http;

import io.jobyard.adapter.http.ApiWorld.ProjectJobs;
import io.jobyard.application.contract.TestData;
import io.jobyard.domain.user.AccessToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request served whole reads the access version once: authentication reads it, the project's gate takes that read
 * (issue 18: one statement fewer per job read). Access changes still count from the very next request.
 */
class AccessVersionReadsHttpTest {
    private final ApiWorld world = new ApiWorld();
    private final ProjectJobs app = world.privateProject;
    private final String project = "/projects/" + app.project().id();

    @AfterEach
    void stop() {
        world.close();
    }

    private int readsFor(String path, String token, int expectedStatus) {
        int before = world.accessVersionReads.get();
        assertThat(world.get(path, token).status()).isEqualTo(expectedStatus);
        return world.accessVersionReads.get() - before;
    }

    @Test
    void aJobItsListsAndItsLogEachReadTheVersionOnce() {
        assertThat(readsFor(project + "/jobs/" + app.build().id().value(), "pat-dev", 200)).isEqualTo(1);
        assertThat(readsFor(project + "/jobs?per_page=2", "pat-dev", 200)).isEqualTo(1);
        assertThat(readsFor(project + "/jobs?pagination=keyset&per_page=2&order_by=id&sort=desc", "pat-dev", 200))
                .isEqualTo(1);
        assertThat(readsFor(project + "/jobs/" + app.build().id().value() + "/trace", "pat-dev", 200)).isEqualTo(1);
        // A CI job token is checked by its job's row, not the access version: the gate's read is the request's only.
        int before = world.accessVersionReads.get();
        assertThat(world.send("GET", project + "/jobs",
                Map.of("JOB-TOKEN", app.jobToken()), null).status()).isEqualTo(200);
        assertThat(world.accessVersionReads.get() - before).isEqualTo(1);
    }

    @Test
    void withoutTheBracketAuthenticationAndTheGateEachRead() {
        try (ApiWorld unbracketed = new ApiWorld(false)) {
            String path = "/projects/" + unbracketed.privateProject.project().id() + "/jobs/"
                    + unbracketed.privateProject.build().id().value();
            int before = unbracketed.accessVersionReads.get();
            assertThat(unbracketed.get(path, "pat-dev").status()).isEqualTo(200);
            assertThat(unbracketed.accessVersionReads.get() - before).isEqualTo(2);
        }
    }

    @Test
    void aRevokedTokenAndARemovedMemberAreRefusedOnTheNextRequest() {
        String path = project + "/jobs/" + app.build().id().value();
        for (int i = 0; i < 3; i++) {
            assertThat(world.get(path, "pat-dev").status()).isEqualTo(200);
        }
        AccessToken token = world.repos.users().findTokenByDigest(TestData.digest("pat-dev")).orElseThrow();
        world.repos.users().revokeToken(token.id());
        assertThat(world.get(path, "pat-dev").status()).isEqualTo(401);

        for (int i = 0; i < 3; i++) {
            assertThat(world.get(path, "pat-rita").status()).isEqualTo(200);
        }
        world.repos.projects().removeMember(app.project().id(), world.reporter.id());
        assertThat(world.get(path, "pat-rita").status()).isEqualTo(404);
    }
}
