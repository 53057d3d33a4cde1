package io.jobyard.application.contract;

import io.jobyard.application.port.out.WebSessionRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.session.SignInMethod;
import io.jobyard.domain.session.WebSession;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link WebSessionRepository} has. Extend it and supply the store over the same database. */
public abstract class WebSessionRepositoryContract extends RepositoryContract {
    protected WebSessionRepository sessions;

    /** The session store over the database {@link #repositories()} answered (its users). */
    protected abstract WebSessionRepository sessions();

    @BeforeEach
    void openSessions() {
        sessions = sessions();
    }

    private static String digest(int n) {
        return String.format("%064x", n);
    }

    private WebSession session(int n, User user, Instant created, Instant seen) {
        return new WebSession(digest(n), user.id(), SignInMethod.PASSWORD, null, created, seen);
    }

    @Test
    void aSessionIsFoundByItsDigestExactlyAsStored() {
        User user = data.user("alice");
        WebSession password = session(1, user, T0, T0.plusMillis(1500));
        WebSession token = new WebSession(digest(2), user.id(), SignInMethod.ACCESS_TOKEN, 42L, T0, T0);
        sessions.insert(password);
        sessions.insert(token);

        assertThat(sessions.findByDigest(digest(1))).contains(password);
        assertThat(sessions.findByDigest(digest(2))).contains(token);
        assertThat(sessions.findByDigest(digest(3))).isEmpty();
    }

    @Test
    void aSecondSessionUnderTheSameDigestIsAConflict() {
        User user = data.user("alice");
        sessions.insert(session(1, user, T0, T0));

        assertThatThrownBy(() -> sessions.insert(session(1, user, T0.plusSeconds(1), T0.plusSeconds(1))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void touchingRecordsTheLastUse() {
        User user = data.user("alice");
        sessions.insert(session(1, user, T0, T0));

        assertThat(sessions.touch(digest(1), T0.plusSeconds(90))).isTrue();
        assertThat(sessions.touch(digest(9), T0.plusSeconds(90))).isFalse();

        assertThat(sessions.findByDigest(digest(1)).orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void signingOutDeletesOneSessionAndSigningAUserOutEverywhereOnlyTheirs() {
        User alice = data.user("alice");
        User bob = data.user("bob");
        sessions.insert(session(1, alice, T0, T0));
        sessions.insert(session(2, alice, T0, T0));
        sessions.insert(session(3, alice, T0, T0));
        sessions.insert(session(4, bob, T0, T0));

        assertThat(sessions.delete(digest(1))).isTrue();
        assertThat(sessions.delete(digest(1))).isFalse();
        assertThat(sessions.deleteAllOf(alice.id())).isEqualTo(2);

        assertThat(sessions.findByDigest(digest(2))).isEmpty();
        assertThat(sessions.findByDigest(digest(4))).isPresent();
    }

    @Test
    void theSweepDeletesSessionsIdleTooLongOrTooOldAndKeepsTheRest() {
        User user = data.user("alice");
        Instant now = T0.plus(Duration.ofDays(40));
        Instant idleBefore = now.minus(Duration.ofDays(7));
        Instant createdBefore = now.minus(Duration.ofDays(30));
        sessions.insert(session(1, user, now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(8))));
        sessions.insert(session(2, user, now.minus(Duration.ofDays(31)), now.minusSeconds(5)));
        sessions.insert(session(3, user, now.minus(Duration.ofDays(29)), now.minus(Duration.ofDays(6))));
        sessions.insert(session(4, user, idleBefore, idleBefore));

        assertThat(sessions.deleteExpired(idleBefore, createdBefore)).isEqualTo(2);

        assertThat(sessions.findByDigest(digest(1))).isEmpty();
        assertThat(sessions.findByDigest(digest(2))).isEmpty();
        assertThat(sessions.findByDigest(digest(3))).isPresent();
        assertThat(sessions.findByDigest(digest(4))).as("exactly at the cutoff: not before it").isPresent();
    }
}
