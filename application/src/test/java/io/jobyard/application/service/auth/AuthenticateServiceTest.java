package io.jobyard.application.service.auth;

import io.jobyard.application.service.SecretTokens;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.application.service.TestDataJobs;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

import static io.jobyard.application.service.ServiceFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticateServiceTest {
    private final ServiceFixture f = new ServiceFixture();
    private final LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    private String token(User user, Set<TokenScope> scopes, LocalDate expiresAt, boolean revoked) {
        String secret = SecretTokens.generate("glpat-");
        f.repos.users().insertToken(f.data.tokenRecord(user, SecretTokens.digest(secret), scopes, expiresAt, revoked));
        return secret;
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(UnauthorizedException.class).hasMessage(message);
    }

    // ------------------------------------------------------------------------------------------- access tokens

    @Test
    void anApiTokenActsAsItsUserWithWriteAccess() {
        Actor actor = f.authenticate.byAccessToken(token(f.developer, Set.of(TokenScope.API), null, false));

        assertThat(actor).isInstanceOf(Actor.UserActor.class);
        assertThat(actor.user()).contains(f.developer);
        assertThat(actor.canWrite()).isTrue();
    }

    @Test
    void aReadApiTokenOnlyReads() {
        Actor actor = f.authenticate.byAccessToken(token(f.developer, Set.of(TokenScope.READ_API), null, false));
        assertThat(actor.user()).contains(f.developer);
        assertThat(actor.canWrite()).isFalse();
    }

    @Test
    void unknownOrMissingTokensAreUnauthorized() {
        token(f.developer, Set.of(TokenScope.API), null, false);
        refused(() -> f.authenticate.byAccessToken("glpat-not-a-real-token"), AuthenticateService.UNAUTHORIZED);
        refused(() -> f.authenticate.byAccessToken(""), AuthenticateService.UNAUTHORIZED);
        refused(() -> f.authenticate.byAccessToken(null), AuthenticateService.UNAUTHORIZED);
    }

    @Test
    void onlyATokenThatMatchesNothingIsRefusedAsAGuess() {
        String unknown = "glpat-guessed-0123456789abcdef";
        assertThatThrownBy(() -> f.authenticate.byAccessToken(unknown)).isInstanceOfSatisfying(
                UnauthorizedException.class,
                e -> assertThat(e.guessedCredential()).contains(SecretTokens.digest(unknown)));
        assertThatThrownBy(() -> f.authenticate.byJobToken("glcbt-guessed")).isInstanceOfSatisfying(
                UnauthorizedException.class,
                e -> assertThat(e.guessedCredential()).contains(SecretTokens.digest("glcbt-guessed")));
        // Real tokens refused for their state are no guesses: a client still using one is stale, not guessing.
        String revoked = token(f.developer, Set.of(TokenScope.API), null, true);
        String expired = token(f.developer, Set.of(TokenScope.API), today, false);
        User blocked = f.repos.users().insert(f.data.userRecord("blocked-owner", false, UserState.BLOCKED));
        String ofBlocked = token(blocked, Set.of(TokenScope.API), null, false);
        for (String real : new String[]{revoked, expired, ofBlocked}) {
            assertThatThrownBy(() -> f.authenticate.byAccessToken(real)).isInstanceOfSatisfying(
                    UnauthorizedException.class, e -> assertThat(e.guessedCredential()).isEmpty());
        }
        assertThatThrownBy(() -> f.authenticate.byAccessToken("")).isInstanceOfSatisfying(
                UnauthorizedException.class, e -> assertThat(e.guessedCredential()).isEmpty());
    }

    @Test
    void aTokensUseIsRecordedAtMostEveryTenMinutesAndTheActorKnowsItsToken() {
        String secret = token(f.developer, Set.of(TokenScope.API), null, false);
        long id = f.repos.users().tokensOf(f.developer.id()).get(0).id();

        Actor actor = f.authenticate.byAccessToken(secret);

        assertThat(actor).isInstanceOfSatisfying(Actor.UserActor.class, a -> assertThat(a.tokenId()).isEqualTo(id));
        assertThat(f.repos.users().findTokenById(id).orElseThrow().lastUsedAt()).isEqualTo(NOW);
        f.clock.advance(java.time.Duration.ofMinutes(9));
        f.authenticate.byAccessToken(secret);
        assertThat(f.repos.users().findTokenById(id).orElseThrow().lastUsedAt()).isEqualTo(NOW);
        f.clock.advance(java.time.Duration.ofMinutes(2));
        f.authenticate.byAccessToken(secret);
        assertThat(f.repos.users().findTokenById(id).orElseThrow().lastUsedAt())
                .isEqualTo(NOW.plus(java.time.Duration.ofMinutes(11)));
    }

    @Test
    void aTokenIsStoredOnlyAsItsDigest() {
        String secret = token(f.developer, Set.of(TokenScope.API), null, false);
        assertThat(f.repos.users().tokensOf(f.developer.id())).singleElement()
                .satisfies(t -> assertThat(t.digest()).isEqualTo(SecretTokens.digest(secret)).doesNotContain(secret));
    }

    @Test
    void aTokenExpiresAtTheStartOfItsExpiryDay() {
        String lastDay = token(f.developer, Set.of(TokenScope.API), today.plusDays(1), false);
        String expiredToday = token(f.developer, Set.of(TokenScope.API), today, false);

        assertThat(f.authenticate.byAccessToken(lastDay).user()).contains(f.developer);
        refused(() -> f.authenticate.byAccessToken(expiredToday), AuthenticateService.TOKEN_EXPIRED);
    }

    @Test
    void revokedTokensAreRefusedAndExpiryIsReportedFirst() {
        String revoked = token(f.developer, Set.of(TokenScope.API), null, true);
        String both = token(f.developer, Set.of(TokenScope.API), today.minusDays(1), true);

        refused(() -> f.authenticate.byAccessToken(revoked), AuthenticateService.TOKEN_REVOKED);
        refused(() -> f.authenticate.byAccessToken(both), AuthenticateService.TOKEN_EXPIRED);
    }

    @Test
    void usersWhoAreNotActiveCannotAuthenticate() {
        for (UserState state : new UserState[]{UserState.BLOCKED, UserState.DEACTIVATED}) {
            User user = f.repos.users().insert(f.data.userRecord("u-" + state.wireName(), false, state));
            String secret = token(user, Set.of(TokenScope.API), null, false);
            refused(() -> f.authenticate.byAccessToken(secret), AuthenticateService.UNAUTHORIZED);
        }
    }

    // --------------------------------------------------------------------------------------------- job tokens

    private final Pipeline pipeline = f.pipeline();

    private String jobWithToken(JobStatus status, User user) {
        String secret = SecretTokens.generate("glcbt-");
        f.data.insert(TestDataJobs.inStatus(f, pipeline, io.jobyard.domain.job.JobSpec.simple("job" +
                        io.jobyard.application.contract.TestData.unique(), "test", 1), status)
                .tokenDigest(SecretTokens.digest(secret)).userId(user.id()));
        return secret;
    }

    @Test
    void aRunningJobsTokenActsAsTheJobsUser() {
        String secret = jobWithToken(JobStatus.RUNNING, f.developer);

        Actor actor = f.authenticate.byJobToken(secret);

        assertThat(actor).isInstanceOfSatisfying(Actor.JobTokenActor.class, a -> {
            assertThat(a.identity()).isEqualTo(f.developer);
            assertThat(a.job().tokenDigest()).isEqualTo(SecretTokens.digest(secret));
        });
        assertThat(actor.canWrite()).isFalse();
        assertThat(f.authenticate.byJobToken(jobWithToken(JobStatus.CANCELING, f.developer)).user())
                .contains(f.developer);
    }

    @Test
    void aJobTokenDiesWithItsRun() {
        for (JobStatus status : new JobStatus[]{JobStatus.SUCCESS, JobStatus.FAILED, JobStatus.CANCELED,
                JobStatus.PENDING}) {
            String secret = jobWithToken(status, f.developer);
            refused(() -> f.authenticate.byJobToken(secret), AuthenticateService.UNAUTHORIZED);
        }
    }

    @Test
    void anErasedJobsTokenOrOneOfAnInactiveUserIsRefused() {
        String secret = SecretTokens.generate("glcbt-");
        f.data.insert(TestDataJobs.inStatus(f, pipeline, io.jobyard.domain.job.JobSpec.simple("erased", "test", 1),
                JobStatus.RUNNING).tokenDigest(SecretTokens.digest(secret)).erasedAt(NOW));
        refused(() -> f.authenticate.byJobToken(secret), AuthenticateService.UNAUTHORIZED);

        User blocked = f.repos.users().insert(f.data.userRecord("blocked", false, UserState.BLOCKED));
        String blockedSecret = jobWithToken(JobStatus.RUNNING, blocked);
        refused(() -> f.authenticate.byJobToken(blockedSecret), AuthenticateService.UNAUTHORIZED);
    }

    @Test
    void unknownJobTokensAndAccessTokensAreNotJobTokens() {
        String pat = token(f.developer, Set.of(TokenScope.API), null, false);
        refused(() -> f.authenticate.byJobToken(pat), AuthenticateService.UNAUTHORIZED);
        refused(() -> f.authenticate.byJobToken("glcbt-unknown"), AuthenticateService.UNAUTHORIZED);
        refused(() -> f.authenticate.byJobToken(null), AuthenticateService.UNAUTHORIZED);
        String jobSecret = jobWithToken(JobStatus.RUNNING, f.developer);
        refused(() -> f.authenticate.byAccessToken(jobSecret), AuthenticateService.UNAUTHORIZED);
    }

    @Test
    void secretsMatchOnlyTheirOwnDigest() {
        String secret = SecretTokens.generate("glpat-");
        assertThat(secret).startsWith("glpat-").hasSize("glpat-".length() + 27);
        assertThat(SecretTokens.generate("glpat-")).isNotEqualTo(secret);
        assertThat(SecretTokens.digest(secret)).matches("[0-9a-f]{64}");
        assertThat(SecretTokens.matches(secret, SecretTokens.digest(secret))).isTrue();
        assertThat(SecretTokens.matches(secret + "x", SecretTokens.digest(secret))).isFalse();
        assertThat(SecretTokens.matches(secret, "not hex")).isFalse();
        assertThat(SecretTokens.matches(secret, null)).isFalse();
        assertThat(SecretTokens.digest("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
