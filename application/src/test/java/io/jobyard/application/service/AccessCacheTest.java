package io.jobyard.application.service;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.ProjectRepository.ProjectWithRole;
import io.jobyard.application.port.out.UserRepository.TokenWithOwner;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.project.Visibility;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link AccessCache}: entries live exactly as long as the access version they were read under. */
class AccessCacheTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final String DIGEST = "a".repeat(64);

    private final AtomicLong version = new AtomicLong(7);
    private final AccessCache cache = new AccessCache(version::get);
    private final AtomicInteger loads = new AtomicInteger();

    private static User user(long id, UserState state) {
        return new User(UserId.of(id), "user" + id, "User " + id, "user" + id + "@example.com", false, false, state,
                T0);
    }

    private static TokenWithOwner token(boolean revoked, UserState ownerState) {
        return new TokenWithOwner(new AccessToken(1, UserId.of(1), "t", DIGEST, Set.of(TokenScope.API), null, revoked,
                T0), user(1, ownerState));
    }

    private Function<String, Optional<TokenWithOwner>> counting(TokenWithOwner value) {
        return digest -> {
            loads.incrementAndGet();
            return Optional.ofNullable(value);
        };
    }

    @Test
    void anEntryIsReadOnceWhileTheVersionStands() {
        cache.check();
        TokenWithOwner stored = token(false, UserState.ACTIVE);

        assertThat(cache.token(DIGEST, counting(stored))).contains(stored);
        cache.check();
        assertThat(cache.token(DIGEST, counting(stored))).contains(stored);
        cache.check();
        assertThat(cache.token(DIGEST, counting(stored))).contains(stored);

        assertThat(loads).hasValue(1);
    }

    @Test
    void aNewVersionSendsTheNextLookupToTheStore() {
        cache.check();
        cache.token(DIGEST, counting(token(false, UserState.ACTIVE)));

        version.incrementAndGet(); // the token was revoked through another instance
        cache.check();

        assertThat(cache.token(DIGEST, counting(token(true, UserState.ACTIVE))).orElseThrow().token().revoked())
                .isTrue();
        assertThat(loads).hasValue(2);
    }

    /** The one mistake that would make it inexact: what was read before the version moved, kept under the new one. */
    @Test
    void rowsReadWhileTheVersionMovesAreNotKeptUnderTheNewVersion() {
        cache.check();
        TokenWithOwner old = token(false, UserState.ACTIVE);
        // The lookup reads the old rows; a block commits (and another request sees its version) before it stores them.
        cache.token(DIGEST, digest -> {
            version.incrementAndGet();
            cache.check();
            return Optional.of(old);
        });

        TokenWithOwner blocked = token(false, UserState.BLOCKED);
        assertThat(cache.token(DIGEST, counting(blocked))).contains(blocked);
        assertThat(loads).hasValue(1);
    }

    @Test
    void anOlderVersionReadLateDoesNotBringBackOldEntries() {
        AtomicLong reads = new AtomicLong();
        List<Long> answers = new ArrayList<>(List.of(9L, 8L, 9L));
        AccessCache racing = new AccessCache(() -> answers.get((int) reads.getAndIncrement()));
        racing.check(); // 9
        TokenWithOwner stored = token(false, UserState.ACTIVE);
        racing.token(DIGEST, counting(stored));

        racing.check(); // 8: a slower reader's answer; the cache keeps 9
        assertThat(racing.token(DIGEST, counting(stored))).contains(stored);
        assertThat(loads).hasValue(1);
    }

    @Test
    void nothingIsKeptBeforeTheFirstCheckNorAnythingMissing() {
        TokenWithOwner stored = token(false, UserState.ACTIVE);
        cache.token(DIGEST, counting(stored));
        cache.token(DIGEST, counting(stored));
        assertThat(loads).hasValue(2);

        cache.check();
        assertThat(cache.token(DIGEST, counting(null))).isEmpty();
        assertThat(cache.token(DIGEST, counting(stored))).contains(stored);
        assertThat(loads).hasValue(4);
    }

    @Test
    void aReplacedTokenIsKeptUnderTheSameVersion() {
        cache.check();
        TokenWithOwner stored = token(false, UserState.ACTIVE);
        cache.token(DIGEST, counting(stored));

        TokenWithOwner used = new TokenWithOwner(stored.token().usedAt(T0.plusSeconds(5)), stored.owner());
        cache.replaceToken(DIGEST, used);

        assertThat(cache.token(DIGEST, counting(stored))).contains(used);
        assertThat(loads).hasValue(1);
    }

    @Test
    void projectsAreKeptPerReferenceAndUser() {
        cache.check();
        Project project = new Project(ProjectId.of(3), "P", "p", "g", Visibility.PRIVATE, false, false, T0);
        ProjectRef byId = ProjectRef.of(project.id());
        ProjectRef byPath = new ProjectRef.ByPath("g/p");
        ProjectWithRole developer = new ProjectWithRole(project, Role.DEVELOPER);

        for (int i = 0; i < 3; i++) {
            assertThat(cache.project(byId, UserId.of(1), () -> {
                loads.incrementAndGet();
                return Optional.of(developer);
            })).contains(developer);
        }
        assertThat(cache.project(byPath, UserId.of(1), () -> {
            loads.incrementAndGet();
            return Optional.of(developer);
        })).contains(developer);
        ProjectWithRole anonymous = new ProjectWithRole(project, null);
        assertThat(cache.project(byId, null, () -> {
            loads.incrementAndGet();
            return Optional.of(anonymous);
        })).contains(anonymous);

        assertThat(loads).hasValue(3);
    }

    @Test
    void usersAreReadOnlyWhenNotKeptAndAllMissingOnesInOneCall() {
        cache.check();
        List<Set<UserId>> asked = new ArrayList<>();
        Function<Set<UserId>, Map<UserId, User>> store = ids -> {
            asked.add(Set.copyOf(ids));
            Map<UserId, User> found = new HashMap<>();
            ids.stream().filter(id -> id.value() != 99)
                    .forEach(id -> found.put(id, user(id.value(), UserState.ACTIVE)));
            return found;
        };

        assertThat(cache.users(List.of(UserId.of(1), UserId.of(2)), store)).containsOnlyKeys(UserId.of(1),
                UserId.of(2));
        assertThat(cache.users(List.of(UserId.of(2), UserId.of(3), UserId.of(99)), store))
                .containsOnlyKeys(UserId.of(2), UserId.of(3));

        assertThat(asked).containsExactly(Set.of(UserId.of(1), UserId.of(2)), Set.of(UserId.of(3), UserId.of(99)));
    }

    @Test
    void aFullTableStartsOverInsteadOfGrowing() {
        AccessCache small = new AccessCache(version::get, 2);
        small.check();
        for (int i = 0; i < 3; i++) {
            String digest = String.valueOf(i).repeat(64);
            small.token(digest, counting(token(false, UserState.ACTIVE)));
        }
        // The third entry emptied the table: the first is read again, the third is kept.
        small.token("0".repeat(64), counting(token(false, UserState.ACTIVE)));
        small.token("2".repeat(64), counting(token(false, UserState.ACTIVE)));

        assertThat(loads).hasValue(4);
        assertThatThrownBy(() -> new AccessCache(version::get, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOffCacheKeepsNothing() {
        AccessCache off = AccessCache.off();
        TokenWithOwner stored = token(false, UserState.ACTIVE);
        for (int i = 0; i < 3; i++) {
            off.check();
            off.token(DIGEST, counting(stored));
        }
        assertThat(loads).hasValue(3);
    }

    @Test
    void insideARequestTheSecondCheckTakesTheFirstsVersionAndLaterOnesRead() {
        AtomicInteger reads = new AtomicInteger();
        AccessCache counted = new AccessCache(() -> {
            reads.incrementAndGet();
            return version.get();
        });
        try (var request = counted.beginRequest()) {
            assertThat(counted.check()).isEqualTo(7);
            version.incrementAndGet(); // a change commits between authentication and the gate
            assertThat(counted.check()).as("the gate takes authentication's read").isEqualTo(7);
            assertThat(counted.check()).as("any later check reads again").isEqualTo(8);
            assertThat(counted.check()).isEqualTo(8);
        }
        assertThat(reads).hasValue(3);

        // Outside a request, and in the next one, every first check reads: nothing carries over.
        counted.check();
        counted.check();
        try (var request = counted.beginRequest()) {
            version.incrementAndGet();
            assertThat(counted.check()).isEqualTo(9);
        }
        assertThat(reads).hasValue(6);
    }

    /** A request that checked once must not hand its version to whatever the thread does next. */
    @Test
    void anEndedRequestLeavesNothingForTheThreadsNextCheck() {
        try (var request = cache.beginRequest()) {
            cache.check();
        }
        version.incrementAndGet();
        assertThat(cache.check()).isEqualTo(8);
        try (var request = cache.beginRequest()) {
            assertThat(cache.check()).isEqualTo(8);
        }
        version.incrementAndGet();
        try (var request = cache.beginRequest()) {
            assertThat(cache.check()).as("a new request reads").isEqualTo(9);
        }
    }

    @Test
    void requestsAreEachThreadsOwnAndNestedOnesRestoreTheOuter() throws Exception {
        try (var outer = cache.beginRequest()) {
            assertThat(cache.check()).isEqualTo(7);
            version.incrementAndGet();
            // Another thread's request reads for itself.
            long[] seen = new long[1];
            Thread other = new Thread(() -> {
                try (var request = cache.beginRequest()) {
                    seen[0] = cache.check();
                }
            });
            other.start();
            other.join();
            assertThat(seen[0]).isEqualTo(8);
            try (var inner = cache.beginRequest()) {
                assertThat(cache.check()).isEqualTo(8);
            }
            assertThat(cache.check()).as("the outer request's second check").isEqualTo(7);
        }
    }

    @Test
    void aKeptEntryIsUsedAcrossTheRequestsChecksWhileTheVersionStands() {
        TokenWithOwner stored = token(false, UserState.ACTIVE);
        try (var request = cache.beginRequest()) {
            cache.check();
            cache.token(DIGEST, counting(stored));
            cache.check();
            assertThat(cache.token(DIGEST, counting(stored))).contains(stored);
        }
        assertThat(loads).hasValue(1);
    }
}
