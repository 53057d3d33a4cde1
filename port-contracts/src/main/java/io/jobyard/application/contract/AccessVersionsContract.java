package io.jobyard.application.contract;

import io.jobyard.application.port.out.AccessVersions;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link AccessVersions} promises together with the user and project repositories of its store: each
 * write to users, tokens, memberships or projects changes the version, in the write's own transaction; reads (and
 * recording a token's use) do not. The access cache's exactness rests on exactly this. Extend it and supply the
 * versions over the store {@link #repositories()} answered.
 */
public abstract class AccessVersionsContract extends RepositoryContract {
    protected AccessVersions versions;

    /** The access versions of the store {@link #repositories()} answered. */
    protected abstract AccessVersions versions();

    @BeforeEach
    void openVersions() {
        versions = versions();
    }

    private void assertChanges(String what, Runnable write) {
        long before = versions.current();
        write.run();
        assertThat(versions.current()).as(what).isGreaterThan(before);
    }

    @Test
    void everyWriteToUsersAndTheirTokensChangesTheVersion() {
        User[] alice = new User[1];
        assertChanges("user inserted", () -> alice[0] = data.user("alice" + TestData.unique()));
        assertChanges("user blocked", () -> repos.users().update(alice[0].withState(UserState.BLOCKED)));
        AccessToken token = data.tokenRecord(alice[0], TestData.digest("t" + TestData.unique()),
                Set.of(TokenScope.API), null, false);
        assertChanges("token inserted", () -> repos.users().insertToken(token));
        assertChanges("token revoked", () -> repos.users().revokeToken(token.id()));
        assertChanges("user deleted", () -> repos.users().delete(alice[0].id()));
    }

    @Test
    void everyWriteToProjectsAndMembershipsChangesTheVersion() {
        User bob = data.user("bob" + TestData.unique());
        Project[] project = new Project[1];
        assertChanges("project inserted", () -> project[0] = data.project("p" + TestData.unique()));
        Project p = project[0];
        assertChanges("project made public", () -> repos.projects().update(new Project(p.id(), p.name(), p.path(),
                p.namespacePath(), Visibility.PUBLIC, p.publicBuilds(), p.ciJobTokenScopeEnabled(), p.createdAt())));
        assertChanges("member added", () -> data.member(p, bob, Role.DEVELOPER));
        assertChanges("member demoted", () -> data.member(p, bob, Role.GUEST));
        assertChanges("member removed", () -> repos.projects().removeMember(p.id(), bob.id()));
        data.member(p, bob, Role.REPORTER);
        assertChanges("memberships removed", () -> repos.projects().removeMemberships(bob.id()));
    }

    @Test
    void readsAndRecordedTokenUsesLeaveTheVersionAlone() {
        User carol = data.user("carol" + TestData.unique());
        Project project = data.project("p" + TestData.unique());
        data.member(project, carol, Role.DEVELOPER);
        AccessToken token = repos.users().insertToken(data.tokenRecord(carol,
                TestData.digest("t" + TestData.unique()), Set.of(TokenScope.API), null, false));
        long before = versions.current();

        repos.users().findById(carol.id());
        repos.users().findTokenWithOwner(token.digest());
        repos.projects().findWithRole(project.id(), carol.id());
        repos.projects().roleOf(project.id(), carol.id());
        repos.users().recordTokenUse(token.id(), T0.plusSeconds(60), T0);

        assertThat(versions.current()).isEqualTo(before);
    }

    /**
     * The change and the version commit together: while the transaction of a block is open, nobody else sees the new
     * version (a database shows the old one; the in-memory store makes the reader wait for the commit).
     */
    @Test
    void theNewVersionIsSeenOnlyWithTheWriteThatMadeIt() throws Exception {
        User dave = data.user("dave" + TestData.unique());
        long before = versions.current();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> repos.transactor().inTransaction(() -> {
            repos.users().update(dave.withState(UserState.BLOCKED));
            written.countDown();
            await(looked);
            return null;
        }));
        assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(versions::current);
        Long seenDuring;
        try {
            seenDuring = reader.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException waitsForTheCommit) {
            seenDuring = null;
        }
        looked.countDown();
        writer.get(30, TimeUnit.SECONDS);

        if (seenDuring != null) {
            assertThat(seenDuring).as("the version seen before the block committed").isEqualTo(before);
        } else {
            assertThat(reader.get(30, TimeUnit.SECONDS)).isGreaterThan(before);
        }
        assertThat(versions.current()).isGreaterThan(before);
        assertThat(repos.users().findById(dave.id()).orElseThrow().state()).isEqualTo(UserState.BLOCKED);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the reader never looked");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
