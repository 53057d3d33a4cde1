package io.jobyard.application.service.session;

import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.in.session.SignInUseCase.SignedIn;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.PasswordRepository.StoredPassword;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.session.SignInMethod;
import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignInAndSessionsTest {
    private final SessionWorld w = new SessionWorld();

    private static void assertUnauthorized(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(UnauthorizedException.class).hasMessage(message);
    }

    // -------------------------------------------------------------------------------------------------- passwords

    @Nested
    class WithPassword {
        @Test
        void theRightPasswordOpensASessionThatActsAsTheUserWithFullRights() {
            User alice = w.userWithPassword("alice", "correct horse");

            SignedIn signedIn = w.signIn.withPassword("alice", "correct horse");
            Actor actor = w.web.authenticate(signedIn.sessionId());

            assertThat(actor).isEqualTo(Actor.UserActor.withFullAccess(alice));
            assertThat(actor.canWrite()).isTrue();
            assertThat(signedIn.user()).isEqualTo(alice);
            assertThat(signedIn.expiresAt()).isEqualTo(w.clock.instant().plus(Duration.ofDays(7)));
            assertThat(signedIn.sessionId()).matches("[A-Za-z0-9_-]{43}");
            assertThat(signedIn.toString()).doesNotContain(signedIn.sessionId());
        }

        @Test
        void onlyTheDigestOfTheSessionIdIsStored() {
            w.userWithPassword("alice", "correct horse");
            SignedIn signedIn = w.signIn.withPassword("alice", "correct horse");

            Optional<WebSession> stored = w.sessions.findByDigest(SecretTokens.digest(signedIn.sessionId()));

            assertThat(stored).isPresent();
            assertThat(stored.get().idDigest()).isNotEqualTo(signedIn.sessionId());
            assertThat(stored.get().method()).isEqualTo(SignInMethod.PASSWORD);
            assertThat(w.sessions.findByDigest(signedIn.sessionId())).isEmpty();
        }

        @Test
        void aWrongPasswordAnUnknownUserAndAUserWithoutPasswordGetOneAnswerForTheSameWork() {
            w.userWithPassword("alice", "correct horse");
            w.data.user("nopass");
            int before = w.hasher.verifications.get();

            assertUnauthorized(() -> w.signIn.withPassword("alice", "wrong horse"), SignInUseCase.INVALID_LOGIN);
            assertUnauthorized(() -> w.signIn.withPassword("mallory", "correct horse"), SignInUseCase.INVALID_LOGIN);
            assertUnauthorized(() -> w.signIn.withPassword("nopass", "correct horse"), SignInUseCase.INVALID_LOGIN);
            assertUnauthorized(() -> w.signIn.withPassword("alice", ""), SignInUseCase.INVALID_LOGIN);

            // One hash verified for each of the three real attempts: an unknown name costs what a known one does.
            assertThat(w.hasher.verifications.get() - before).isEqualTo(3);
            assertThat(w.sessions.deleteExpired(Instant.MAX, Instant.MAX)).as("no session was opened").isZero();
        }

        @Test
        void aBlockedUserIsToldSoOnlyWhenThePasswordIsRight() {
            User alice = w.userWithPassword("alice", "correct horse");
            w.repos.users().update(new User(alice.id(), alice.username(), alice.name(), alice.email(), false, false,
                    UserState.BLOCKED, alice.createdAt()));

            assertUnauthorized(() -> w.signIn.withPassword("alice", "wrong horse"), SignInUseCase.INVALID_LOGIN);
            assertUnauthorized(() -> w.signIn.withPassword("alice", "correct horse"), SignInUseCase.BLOCKED);
        }

        @Test
        void everySignInIsANewSessionAndSigningOutEndsOnlyThatOne() {
            w.userWithPassword("alice", "correct horse");
            SignedIn laptop = w.signIn.withPassword("alice", "correct horse");
            SignedIn phone = w.signIn.withPassword("alice", "correct horse");
            assertThat(laptop.sessionId()).isNotEqualTo(phone.sessionId());

            w.signIn.signOut(laptop.sessionId());
            w.signIn.signOut(laptop.sessionId());
            w.signIn.signOut("never-was");
            w.signIn.signOut(null);

            assertUnauthorized(() -> w.web.authenticate(laptop.sessionId()), WebSessionService.UNAUTHORIZED);
            assertThat(w.web.authenticate(phone.sessionId()).user()).isPresent();
        }

        @Test
        void tenWrongPasswordsInARowLockTheAccountForTenMinutesEvenAgainstTheRightOne() {
            User alice = w.userWithPassword("alice", "correct horse");
            for (int i = 0; i < 9; i++) {
                assertUnauthorized(() -> w.signIn.withPassword("alice", "guess"), SignInUseCase.INVALID_LOGIN);
            }
            // A success clears the count: nine more wrong ones do not lock.
            w.signIn.withPassword("alice", "correct horse");
            for (int i = 0; i < 9; i++) {
                assertUnauthorized(() -> w.signIn.withPassword("alice", "guess"), SignInUseCase.INVALID_LOGIN);
            }
            assertThat(w.signIn.withPassword("alice", "correct horse").user()).isEqualTo(alice);
            for (int i = 0; i < 10; i++) {
                assertUnauthorized(() -> w.signIn.withPassword("alice", "guess"), SignInUseCase.INVALID_LOGIN);
            }

            assertUnauthorized(() -> w.signIn.withPassword("alice", "correct horse"), SignInUseCase.INVALID_LOGIN);
            w.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
            assertUnauthorized(() -> w.signIn.withPassword("alice", "correct horse"), SignInUseCase.INVALID_LOGIN);
            w.clock.advance(Duration.ofSeconds(1));

            assertThat(w.signIn.withPassword("alice", "correct horse").user()).isEqualTo(alice);
            assertThat(w.passwords.find(alice.id()).orElseThrow().lockedUntil()).isNull();
        }

        @Test
        void anAdministratorsNewPasswordUnlocksAtOnce() {
            User alice = w.userWithPassword("alice", "correct horse");
            for (int i = 0; i < 10; i++) {
                assertUnauthorized(() -> w.signIn.withPassword("alice", "guess"), SignInUseCase.INVALID_LOGIN);
            }

            w.passwordService().setPassword(w.as(w.root), alice.id(), "battery staple");

            assertThat(w.signIn.withPassword("alice", "battery staple").user()).isEqualTo(alice);
        }

        @Test
        void aHashMadeWithOlderParametersIsReplacedOnTheNextSignIn() {
            User alice = w.userWithPassword("alice", "correct horse");
            String old = w.passwords.findHash(alice.id()).orElseThrow();
            w.hasher.version = 2;

            w.signIn.withPassword("alice", "correct horse");

            String renewed = w.passwords.findHash(alice.id()).orElseThrow();
            assertThat(renewed).isNotEqualTo(old).startsWith("fake$2$");
            assertThat(w.signIn.withPassword("alice", "correct horse").user()).isEqualTo(alice);
        }
    }

    // -------------------------------------------------------------------------------------------------- tokens

    @Nested
    class WithAccessToken {
        @Test
        void aTokenSessionHasTheTokensScopes() {
            User alice = w.data.user("alice");
            String readOnly = w.token(alice, Set.of(TokenScope.READ_API), null);

            SignedIn signedIn = w.signIn.withAccessToken(readOnly);
            Actor actor = w.web.authenticate(signedIn.sessionId());

            assertThat(actor.user()).contains(alice);
            assertThat(actor.canWrite()).isFalse();
            WebSession stored = w.sessions.findByDigest(SecretTokens.digest(signedIn.sessionId())).orElseThrow();
            assertThat(stored.method()).isEqualTo(SignInMethod.ACCESS_TOKEN);
            assertThat(stored.tokenId()).isNotNull();
        }

        @Test
        void aTokenSessionEndsWhenItsTokenExpires() {
            User alice = w.data.user("alice");
            LocalDate tomorrow = LocalDate.ofInstant(w.clock.instant(), ZoneOffset.UTC).plusDays(1);
            SignedIn signedIn = w.signIn.withAccessToken(w.token(alice, Set.of(TokenScope.API), tomorrow));
            assertThat(w.web.authenticate(signedIn.sessionId()).canWrite()).isTrue();

            w.clock.advance(Duration.ofDays(1));

            assertUnauthorized(() -> w.web.authenticate(signedIn.sessionId()), WebSessionService.UNAUTHORIZED);
            assertThat(w.sessions.findByDigest(SecretTokens.digest(signedIn.sessionId())))
                    .as("deleted once found dead").isEmpty();
        }

        @Test
        void aTokenTheApiRefusesSignsNobodyIn() {
            User alice = w.data.user("alice");
            String revoked = SecretTokens.generate("glpat-");
            w.repos.users().insertToken(w.data.tokenRecord(alice, SecretTokens.digest(revoked),
                    Set.of(TokenScope.API), null, true));

            assertUnauthorized(() -> w.signIn.withAccessToken("glpat-unknown"), "401 Unauthorized");
            assertThatThrownBy(() -> w.signIn.withAccessToken(revoked)).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("revoked");
        }
    }

    // -------------------------------------------------------------------------------------------------- expiry

    @Nested
    class Expiry {
        @Test
        void anIdleSessionExpiresAndUseKeepsItAliveUpToItsMaximumAge() {
            w.userWithPassword("alice", "correct horse");
            SignedIn busy = w.signIn.withPassword("alice", "correct horse");
            SignedIn idle = w.signIn.withPassword("alice", "correct horse");

            for (int week = 0; week < 4; week++) {
                w.clock.advance(Duration.ofDays(6));
                assertThat(w.web.authenticate(busy.sessionId()).user()).as("day %d", 6 * (week + 1)).isPresent();
            }
            assertUnauthorized(() -> w.web.authenticate(idle.sessionId()), WebSessionService.UNAUTHORIZED);
            w.clock.advance(Duration.ofDays(6)); // day 30: used every 6 days, but 30 days old

            assertUnauthorized(() -> w.web.authenticate(busy.sessionId()), WebSessionService.UNAUTHORIZED);
        }

        @Test
        void useIsWrittenAtMostOnceAMinute() {
            w.userWithPassword("alice", "correct horse");
            SignedIn signedIn = w.signIn.withPassword("alice", "correct horse");
            String digest = SecretTokens.digest(signedIn.sessionId());
            Instant signedInAt = w.clock.instant();

            w.clock.advance(Duration.ofSeconds(59));
            w.web.authenticate(signedIn.sessionId());
            assertThat(w.sessions.findByDigest(digest).orElseThrow().lastSeenAt()).isEqualTo(signedInAt);
            w.clock.advance(Duration.ofSeconds(1));
            w.web.authenticate(signedIn.sessionId());

            assertThat(w.sessions.findByDigest(digest).orElseThrow().lastSeenAt())
                    .isEqualTo(signedInAt.plusSeconds(60));
        }

        @Test
        void aBlockedOrDeletedUsersSessionsStopWorking() {
            User alice = w.userWithPassword("alice", "correct horse");
            SignedIn signedIn = w.signIn.withPassword("alice", "correct horse");
            w.repos.users().update(new User(alice.id(), alice.username(), alice.name(), alice.email(), false, false,
                    UserState.BLOCKED, alice.createdAt()));

            assertUnauthorized(() -> w.web.authenticate(signedIn.sessionId()), WebSessionService.UNAUTHORIZED);

            String ofNobody = "session-of-a-deleted-user";
            w.sessions.insert(new WebSession(SecretTokens.digest(ofNobody), UserId.of(999_999),
                    SignInMethod.PASSWORD, null, w.clock.instant(), w.clock.instant()));
            assertUnauthorized(() -> w.web.authenticate(ofNobody), WebSessionService.UNAUTHORIZED);
            assertUnauthorized(() -> w.web.authenticate(null), WebSessionService.UNAUTHORIZED);
            assertUnauthorized(() -> w.web.authenticate("x".repeat(10_000)), WebSessionService.UNAUTHORIZED);
        }

        @Test
        void theSweepRemovesExpiredSessionsAndKeepsLiveOnes() {
            w.userWithPassword("alice", "correct horse");
            SignedIn old = w.signIn.withPassword("alice", "correct horse");
            w.clock.advance(Duration.ofDays(5));
            SignedIn recent = w.signIn.withPassword("alice", "correct horse");
            w.clock.advance(Duration.ofDays(3));

            assertThat(w.web.sweepExpired()).isEqualTo(1);

            assertThat(w.sessions.findByDigest(SecretTokens.digest(old.sessionId()))).isEmpty();
            assertThat(w.web.authenticate(recent.sessionId()).user()).isPresent();
        }
    }

    // -------------------------------------------------------------------------------------------------- CSRF

    @Nested
    class Csrf {
        @Test
        void aTokenVerifiesForItsSessionOnlyAndNoTwoAreAlike() {
            w.userWithPassword("alice", "correct horse");
            String mine = w.signIn.withPassword("alice", "correct horse").sessionId();
            String other = w.signIn.withPassword("alice", "correct horse").sessionId();

            String first = w.web.csrfToken(mine);
            String second = w.web.csrfToken(mine);

            assertThat(first).isNotEqualTo(second).doesNotContain(mine);
            w.web.verifyCsrf(mine, first);
            w.web.verifyCsrf(mine, second);
            for (String wrong : new String[] {w.web.csrfToken(other), null, "", "not base64!", first + "A",
                    first.substring(1), "A".repeat(86)}) {
                assertThatThrownBy(() -> w.web.verifyCsrf(mine, wrong)).as(String.valueOf(wrong))
                        .isInstanceOf(ForbiddenException.class);
            }
            assertThatThrownBy(() -> w.web.verifyCsrf(null, first)).isInstanceOf(ForbiddenException.class);
        }
    }

    // -------------------------------------------------------------------------------------------------- passwords

    @Nested
    class Passwords {
        @Test
        void anAdministratorCreatesAUserWithAPasswordStoredOnlyAsAHash() {
            PasswordsUseCase service = w.passwordService();

            User bob = service.createUser(w.as(w.root), new NewUser("bob", "Bob", "bob@example.com", false),
                    "s3cret-pass");

            String stored = w.passwords.findHash(bob.id()).orElseThrow();
            assertThat(stored).doesNotContain("s3cret-pass");
            assertThat(w.signIn.withPassword("bob", "s3cret-pass").user()).isEqualTo(bob);
        }

        @Test
        void aPasswordShorterThanGitLabsMinimumCreatesNoUser() {
            PasswordsUseCase service = w.passwordService();

            assertThatThrownBy(() -> service.createUser(w.as(w.root), new NewUser("bob", "Bob", "b@example.com",
                    false), "1234567")).isInstanceOf(BadRequestException.class)
                    .hasMessage("password is too short (minimum is 8 characters)");
            assertThatThrownBy(() -> service.createUser(w.as(w.root), new NewUser("bob", "Bob", "b@example.com",
                    false), "x".repeat(129))).isInstanceOf(BadRequestException.class)
                    .hasMessage("password is too long (maximum is 128 characters)");

            assertThat(w.repos.users().findByUsername("bob")).isEmpty();
            assertThat(w.hasher.hashes.get()).isZero();
        }

        @Test
        void whoIsNotAnAdministratorIsRefusedBeforeAnyHashing() {
            User alice = w.data.user("alice");
            PasswordsUseCase service = w.passwordService();

            assertThatThrownBy(() -> service.createUser(w.as(alice), new NewUser("bob", "Bob", "b@example.com",
                    false), "long enough")).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.createUser(Actor.ANONYMOUS, new NewUser("bob", "Bob", "b@example.com",
                    false), "long enough")).isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> service.setPassword(w.as(alice), w.root.id(), "long enough"))
                    .isInstanceOf(ForbiddenException.class);

            assertThat(w.hasher.hashes.get()).isZero();
            assertThat(w.repos.users().findByUsername("bob")).isEmpty();
        }

        @Test
        void theUserAndThePasswordAreStoredTogetherOrNotAtAll() {
            PasswordRepository failing = new PasswordRepository() {
                @Override
                public Optional<StoredPassword> find(UserId user) {
                    return Optional.empty();
                }

                @Override
                public void save(UserId user, String encodedHash, Instant changedAt) {
                    throw new ConflictException("the store failed");
                }

                @Override
                public boolean delete(UserId user) {
                    return false;
                }

                @Override
                public int recordFailure(UserId user) {
                    return 0;
                }

                @Override
                public void lock(UserId user, Instant until) {
                }

                @Override
                public void clearFailures(UserId user) {
                }
            };

            assertThatThrownBy(() -> w.passwordsWith(failing).createUser(w.as(w.root),
                    new NewUser("bob", "Bob", "b@example.com", false), "long enough"))
                    .isInstanceOf(ConflictException.class);

            assertThat(w.repos.users().findByUsername("bob")).isEmpty();
        }

        @Test
        void aNewPasswordSetByAnAdministratorEndsTheUsersSessions() {
            User alice = w.userWithPassword("alice", "correct horse");
            SignedIn before = w.signIn.withPassword("alice", "correct horse");

            w.passwordService().setPassword(w.as(w.root), alice.id(), "battery staple");

            assertUnauthorized(() -> w.web.authenticate(before.sessionId()), WebSessionService.UNAUTHORIZED);
            assertUnauthorized(() -> w.signIn.withPassword("alice", "correct horse"), SignInUseCase.INVALID_LOGIN);
            assertThat(w.signIn.withPassword("alice", "battery staple").user()).isEqualTo(alice);
            assertThatThrownBy(() -> w.passwordService().setPassword(w.as(w.root), UserId.of(999_999), "long enough"))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        void aUserChangesTheirOwnPasswordOnlyWithTheCurrentOne() {
            User alice = w.userWithPassword("alice", "correct horse");
            SignedIn session = w.signIn.withPassword("alice", "correct horse");
            Actor self = w.web.authenticate(session.sessionId());
            PasswordsUseCase service = w.passwordService();

            assertThatThrownBy(() -> service.changeOwnPassword(self, "wrong horse", "battery staple"))
                    .isInstanceOf(BadRequestException.class).hasMessage("Invalid password");
            assertThatThrownBy(() -> service.changeOwnPassword(self, "correct horse", "short"))
                    .isInstanceOf(BadRequestException.class);
            assertThat(w.web.authenticate(session.sessionId()).user()).contains(alice);

            service.changeOwnPassword(self, "correct horse", "battery staple");

            assertThat(w.signIn.withPassword("alice", "battery staple").user()).isEqualTo(alice);
            assertUnauthorized(() -> w.web.authenticate(session.sessionId()), WebSessionService.UNAUTHORIZED);
        }
    }
}
