package io.jobyard.application.contract;

import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.port.out.UserRepository.TokenOrder;
import io.jobyard.application.port.out.UserRepository.TokenSearch;
import io.jobyard.application.port.out.UserRepository.TokenState;
import io.jobyard.application.port.out.UserRepository.UserSearch;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;
import io.jobyard.domain.user.UserState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link UserRepository} has. Extend it and supply the store. */
public abstract class UserRepositoryContract extends RepositoryContract {

    private UserRepository users;

    @BeforeEach
    public void useUsers() {
        users = repos.users();
    }

    @Test
    public void nextIdGivesIncreasingIds() {
        UserId first = users.nextId();
        assertThat(users.nextId()).isGreaterThan(first);
    }

    @Test
    public void insertedUserReadsBackWithEveryField() {
        User user = new User(users.nextId(), "ci.bot-1", "CI Bot", null, true, true, UserState.DEACTIVATED,
                TestData.T0.plusMillis(42));
        assertThat(users.insert(user)).isEqualTo(user);
        assertThat(users.findById(user.id())).contains(user);
        assertThat(users.findById(users.nextId())).isEmpty();
    }

    @Test
    public void findByUsernameIgnoresCase() {
        User alice = data.user("Alice");
        assertThat(users.findByUsername("alice")).contains(alice);
        assertThat(users.findByUsername("ALICE")).contains(alice);
        assertThat(users.findByUsername("alic")).isEmpty();
    }

    @Test
    public void aUsernameTakenInAnyCaseIsAConflict() {
        data.user("alice");
        User clash = data.userRecord("ALICE", false, UserState.ACTIVE);
        assertThatThrownBy(() -> users.insert(clash)).isInstanceOf(ConflictException.class);
        assertThat(users.findById(clash.id())).isEmpty();
    }

    @Test
    public void insertingAnExistingIdIsAConflict() {
        User alice = data.user("alice");
        User sameId = new User(alice.id(), "bob", "Bob", null, false, false, UserState.ACTIVE, TestData.T0);
        assertThatThrownBy(() -> users.insert(sameId)).isInstanceOf(ConflictException.class);
    }

    @Test
    public void updateStoresTheNewValuesAndKeepsUsernamesUnique() {
        User alice = data.user("alice");
        data.user("bob");
        User blocked = new User(alice.id(), "alice2", "Alice B.", "a@example.org", true, false, UserState.BLOCKED,
                alice.createdAt());

        assertThat(users.update(blocked)).isEqualTo(blocked);
        assertThat(users.findByUsername("alice2")).contains(blocked);
        User clash = new User(alice.id(), "Bob", "x", null, false, false, UserState.ACTIVE, alice.createdAt());
        assertThatThrownBy(() -> users.update(clash)).isInstanceOf(ConflictException.class);
        assertThat(users.findById(alice.id())).contains(blocked);
    }

    @Test
    public void findByIdsReturnsTheFoundUsersById() {
        User a = data.user("a-user");
        User b = data.user("b-user");
        assertThat(users.findByIds(List.of(a.id(), b.id(), users.nextId())))
                .containsOnlyKeys(a.id(), b.id())
                .containsEntry(a.id(), a)
                .containsEntry(b.id(), b);
        assertThat(users.findByIds(List.of())).isEmpty();
    }

    @Test
    public void listIsByAscendingIdAndCountCountsAll() {
        assertThat(users.count()).isZero();
        User a = data.user("a-user");
        User b = data.user("b-user");
        User c = data.user("c-user");

        assertThat(users.list(0, 10)).containsExactly(a, b, c);
        assertThat(users.list(1, 1)).containsExactly(b);
        assertThat(users.list(3, 1)).isEmpty();
        assertThat(users.count()).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------------- tokens

    @Test
    public void nextTokenIdGivesIncreasingIds() {
        long first = users.nextTokenId();
        assertThat(users.nextTokenId()).isGreaterThan(first);
    }

    @Test
    public void tokensAreFoundByDigestWithEveryField() {
        User alice = data.user("alice");
        AccessToken token = data.tokenRecord(alice, TestData.digest("glpat-secret"),
                Set.of(TokenScope.API, TokenScope.READ_API), LocalDate.of(2030, 1, 31), true);

        assertThat(users.insertToken(token)).isEqualTo(token);
        assertThat(users.findTokenByDigest(TestData.digest("glpat-secret"))).contains(token);
        assertThat(users.findTokenByDigest(TestData.digest("glpat-other"))).isEmpty();
    }

    @Test
    public void aTokenIsFoundWithItsOwnerInOneRead() {
        User alice = data.user("alice");
        data.user("bob");
        AccessToken token = data.tokenRecord(alice, TestData.digest("glpat-owned"), Set.of(TokenScope.READ_API),
                null, false);
        users.insertToken(token);

        assertThat(users.findTokenWithOwner(TestData.digest("glpat-owned")))
                .contains(new UserRepository.TokenWithOwner(token, alice));
        assertThat(users.findTokenWithOwner(TestData.digest("glpat-unknown"))).isEmpty();
    }

    @Test
    public void tokenWithoutExpiryReadsBack() {
        User alice = data.user("alice");
        AccessToken token = data.tokenRecord(alice, TestData.digest("t"), Set.of(TokenScope.READ_API), null, false);
        users.insertToken(token);
        assertThat(users.findTokenByDigest(token.digest())).contains(token);
    }

    @Test
    public void twoTokensWithOneDigestAreAConflict() {
        User alice = data.user("alice");
        users.insertToken(data.tokenRecord(alice, TestData.digest("same"), Set.of(TokenScope.API), null, false));
        AccessToken clash = data.tokenRecord(alice, TestData.digest("same"), Set.of(TokenScope.API), null, false);
        assertThatThrownBy(() -> users.insertToken(clash)).isInstanceOf(ConflictException.class);
    }

    @Test
    public void tokensOfAUserAreListedByAscendingId() {
        User alice = data.user("alice");
        User bob = data.user("bob");
        AccessToken first = users.insertToken(
                data.tokenRecord(alice, TestData.digest("1"), Set.of(TokenScope.API), null, false));
        users.insertToken(data.tokenRecord(bob, TestData.digest("2"), Set.of(TokenScope.API), null, false));
        AccessToken third = users.insertToken(
                data.tokenRecord(alice, TestData.digest("3"), Set.of(TokenScope.READ_API), null, false));

        assertThat(users.tokensOf(alice.id())).containsExactly(first, third);
        assertThat(users.tokensOf(data.user("carol").id())).isEmpty();
    }

    @Test
    public void useAndRotationOriginReadBack() {
        User alice = data.user("alice");
        AccessToken first = users.insertToken(data.tokenRecord(alice, TestData.digest("first"), Set.of(TokenScope.API),
                null, false));
        AccessToken rotated = new AccessToken(users.nextTokenId(), alice.id(), "ci", TestData.digest("rotated"),
                Set.of(TokenScope.K8S_PROXY, TokenScope.SELF_ROTATE), LocalDate.of(2024, 5, 8), false, TestData.T0,
                TestData.T0.plusMillis(7), first.id());

        assertThat(users.insertToken(rotated)).isEqualTo(rotated);
        assertThat(users.findTokenById(rotated.id())).contains(rotated);
        assertThat(users.findTokenById(rotated.id() + 1000)).isEmpty();
        assertThat(users.tokensRotatedFrom(first.id())).containsExactly(rotated);
        assertThat(users.tokensRotatedFrom(rotated.id())).isEmpty();
    }

    @Test
    public void aTokenIsRevokedOnceAndOnlyItself() {
        User alice = data.user("alice");
        AccessToken token = users.insertToken(data.tokenRecord(alice, TestData.digest("r"), Set.of(TokenScope.API),
                null, false));
        AccessToken other = users.insertToken(data.tokenRecord(alice, TestData.digest("o"), Set.of(TokenScope.API),
                null, false));

        assertThat(users.revokeToken(token.id())).isTrue();
        assertThat(users.revokeToken(token.id())).as("already revoked").isFalse();
        assertThat(users.revokeToken(other.id() + 1000)).as("no such token").isFalse();
        assertThat(users.findTokenById(token.id())).contains(token.revoke());
        assertThat(users.findTokenWithOwner(token.digest()).orElseThrow().token().revoked()).isTrue();
        assertThat(users.findTokenById(other.id())).contains(other);
    }

    @Test
    public void aUseIsRecordedUnlessARecentEnoughOneIs() {
        User alice = data.user("alice");
        AccessToken token = users.insertToken(data.tokenRecord(alice, TestData.digest("u"), Set.of(TokenScope.API),
                null, false));
        Instant first = TestData.T0.plusSeconds(60);

        users.recordTokenUse(token.id(), first, first.minus(Duration.ofMinutes(10)));
        assertThat(users.findTokenById(token.id()).orElseThrow().lastUsedAt()).isEqualTo(first);
        users.recordTokenUse(token.id(), first.plusSeconds(300), first.plusSeconds(300).minus(Duration.ofMinutes(10)));
        assertThat(users.findTokenById(token.id()).orElseThrow().lastUsedAt()).as("within ten minutes").isEqualTo(first);
        Instant later = first.plusSeconds(601);
        users.recordTokenUse(token.id(), later, later.minus(Duration.ofMinutes(10)));
        assertThat(users.findTokenById(token.id()).orElseThrow().lastUsedAt()).isEqualTo(later);
    }

    @Test
    public void deletingAUserDeletesItsTokensAndNothingOfOthers() {
        User alice = data.user("alice");
        User bob = data.user("bob");
        AccessToken alices = users.insertToken(data.tokenRecord(alice, TestData.digest("a"), Set.of(TokenScope.API),
                null, false));
        AccessToken bobs = users.insertToken(data.tokenRecord(bob, TestData.digest("b"), Set.of(TokenScope.API),
                null, false));

        assertThat(users.delete(alice.id())).isTrue();
        assertThat(users.findById(alice.id())).isEmpty();
        assertThat(users.findTokenWithOwner(alices.digest())).isEmpty();
        assertThat(users.findTokenById(alices.id())).isEmpty();
        assertThat(users.findTokenById(bobs.id())).contains(bobs);
        assertThat(users.delete(alice.id())).isFalse();
    }

    // --------------------------------------------------------------------------------------------- token search

    private static final LocalDate TODAY = LocalDate.of(2024, 5, 10);

    private AccessToken storedToken(User user, String name, LocalDate expiresAt, boolean revoked, Instant createdAt,
                                    Instant lastUsedAt) {
        return users.insertToken(new AccessToken(users.nextTokenId(), user.id(), name, TestData.digest(name + "-"
                + TestData.unique()), Set.of(TokenScope.API), expiresAt, revoked, createdAt, lastUsedAt, null));
    }

    private static TokenSearch search(UserId user, TokenState state, Boolean revoked, TokenOrder order) {
        return new TokenSearch(user, state, revoked, null, null, null, null, null, null, null, order, TODAY);
    }

    @Test
    public void tokenSearchFiltersByUserStateAndRevocation() {
        User alice = data.user("alice");
        User bob = data.user("bob");
        AccessToken active = storedToken(alice, "active", TODAY.plusDays(1), false, TestData.T0, null);
        AccessToken forever = storedToken(alice, "forever", null, false, TestData.T0, null);
        AccessToken expiresToday = storedToken(alice, "today", TODAY, false, TestData.T0, null);
        AccessToken revoked = storedToken(alice, "revoked", null, true, TestData.T0, null);
        AccessToken bobs = storedToken(bob, "bobs", null, false, TestData.T0, null);

        assertThat(users.searchTokens(search(null, null, null, TokenOrder.ID_ASC), 0, 10))
                .containsExactly(active, forever, expiresToday, revoked, bobs);
        assertThat(users.searchTokens(search(alice.id(), null, null, TokenOrder.ID_ASC), 0, 10))
                .containsExactly(active, forever, expiresToday, revoked);
        assertThat(users.searchTokens(search(alice.id(), TokenState.ACTIVE, null, TokenOrder.ID_ASC), 0, 10))
                .containsExactly(active, forever);
        assertThat(users.searchTokens(search(alice.id(), TokenState.INACTIVE, null, TokenOrder.ID_ASC), 0, 10))
                .containsExactly(expiresToday, revoked);
        assertThat(users.searchTokens(search(null, null, true, TokenOrder.ID_ASC), 0, 10)).containsExactly(revoked);
        assertThat(users.searchTokens(search(null, null, false, TokenOrder.ID_ASC), 1, 2))
                .containsExactly(forever, expiresToday);
        assertThat(users.countTokens(search(null, null, false, TokenOrder.ID_ASC))).isEqualTo(4);
        assertThat(users.countTokens(search(alice.id(), TokenState.ACTIVE, null, TokenOrder.ID_ASC))).isEqualTo(2);
    }

    @Test
    public void tokenKeysetPagesWalkTheFilteredTokensByIdEitherWay() {
        User alice = data.user("alice");
        User bob = data.user("bob");
        AccessToken first = storedToken(alice, "first", null, false, TestData.T0, null);
        AccessToken bobs = storedToken(bob, "bobs", null, false, TestData.T0, null);
        AccessToken second = storedToken(alice, "second", null, false, TestData.T0, null);
        AccessToken revoked = storedToken(alice, "revoked", null, true, TestData.T0, null);
        AccessToken third = storedToken(alice, "third", null, false, TestData.T0, null);

        TokenSearch alicesUnrevoked = search(alice.id(), null, false, TokenOrder.ID_ASC);
        assertThat(users.searchTokensAfter(alicesUnrevoked, null, 2)).containsExactly(first, second);
        assertThat(users.searchTokensAfter(alicesUnrevoked, second.id(), 2)).containsExactly(third);
        assertThat(users.searchTokensAfter(alicesUnrevoked, third.id(), 2)).isEmpty();
        TokenSearch newestFirst = search(null, null, null, TokenOrder.ID_DESC);
        assertThat(users.searchTokensAfter(newestFirst, null, 2)).containsExactly(third, revoked);
        assertThat(users.searchTokensAfter(newestFirst, revoked.id(), 2)).containsExactly(second, bobs);
        assertThat(users.searchTokensAfter(newestFirst, bobs.id(), 2)).containsExactly(first);
        assertThatThrownBy(() -> users.searchTokensAfter(search(null, null, null, TokenOrder.NAME_ASC), null, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void tokenSearchFiltersByDatesAndName() {
        User alice = data.user("alice");
        Instant t1 = TestData.T0;
        Instant t2 = TestData.T0.plus(Duration.ofDays(1));
        AccessToken deploy = storedToken(alice, "Deploy key", TODAY.plusDays(10), false, t1, t1);
        AccessToken ci = storedToken(alice, "ci", TODAY.plusDays(20), false, t2, t2);
        AccessToken unused = storedToken(alice, "CI nightly", null, false, t2, null);

        assertThat(users.searchTokens(new TokenSearch(null, null, null, t1, null, null, null, null, null, null,
                TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(deploy);
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, t2, null, null, null, null, null,
                TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(ci, unused);
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, null, t1, null, null, null, null,
                TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(deploy);
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, null, null, t1, null, null, null,
                TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(deploy, ci);
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, null, null, null, TODAY.plusDays(20),
                null, null, TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(deploy);
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, null, null, null, null,
                TODAY.plusDays(20), null, TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(ci);
        // three characters or more: any part, any case; fewer: the whole name exactly
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, null, null, null, null, null, "PLOY",
                TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(deploy);
        assertThat(users.searchTokens(new TokenSearch(null, null, null, null, null, null, null, null, null, "ci",
                TokenOrder.ID_ASC, TODAY), 0, 10)).containsExactly(ci);
        assertThat(users.countTokens(new TokenSearch(null, null, null, null, null, null, null, null, null, "ci ",
                TokenOrder.ID_ASC, TODAY))).isEqualTo(1);
    }

    @Test
    public void tokenSearchOrdersAsGitLabDoes() {
        User alice = data.user("alice");
        AccessToken b = storedToken(alice, "b", TODAY.plusDays(5), false, TestData.T0.plusSeconds(2),
                TestData.T0.plusSeconds(20));
        AccessToken a = storedToken(alice, "A", null, false, TestData.T0.plusSeconds(1), null);
        AccessToken c = storedToken(alice, "c", TODAY.plusDays(1), false, TestData.T0.plusSeconds(3),
                TestData.T0.plusSeconds(10));

        assertThat(users.searchTokens(search(null, null, null, TokenOrder.ID_DESC), 0, 10)).containsExactly(c, a, b);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.CREATED_ASC), 0, 10))
                .containsExactly(a, b, c);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.CREATED_DESC), 0, 10))
                .containsExactly(c, b, a);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.NAME_ASC), 0, 10)).containsExactly(a, b, c);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.NAME_DESC), 0, 10))
                .containsExactly(c, b, a);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.EXPIRES_ASC), 0, 10))
                .containsExactly(c, b, a);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.EXPIRES_DESC), 0, 10))
                .containsExactly(a, b, c);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.LAST_USED_ASC), 0, 10))
                .containsExactly(c, b, a);
        assertThat(users.searchTokens(search(null, null, null, TokenOrder.LAST_USED_DESC), 0, 10))
                .containsExactly(a, b, c);
    }

    // --------------------------------------------------------------------------------------------------- search

    @Test
    public void searchListsNewestFirstWithOffsetLimitAndCount() {
        User a = data.user("search-a");
        User b = data.user("search-b");
        User c = data.user("search-c");

        assertThat(users.search(UserSearch.EVERYONE, 0, 10)).containsExactly(c, b, a);
        assertThat(users.search(UserSearch.EVERYONE, 1, 1)).containsExactly(b);
        assertThat(users.search(UserSearch.EVERYONE, 3, 10)).isEmpty();
        assertThat(users.count(UserSearch.EVERYONE)).isEqualTo(3);
    }

    @Test
    public void searchBeforeWalksKeysetPagesNewestFirstWithTheFilters() {
        User a = data.user("keyset-a");
        users.insert(data.userRecord("keyset-blocked", false, UserState.BLOCKED));
        User b = data.user("keyset-b");
        User c = data.user("keyset-c");
        UserSearch activeOnly = new UserSearch(null, null, false, true);

        assertThat(users.searchBefore(activeOnly, null, 2)).containsExactly(c, b);
        assertThat(users.searchBefore(activeOnly, b.id(), 2)).containsExactly(a);
        assertThat(users.searchBefore(activeOnly, a.id(), 2)).isEmpty();
        assertThat(users.searchBefore(UserSearch.EVERYONE, b.id(), 10)).hasSize(2).endsWith(a);
    }

    @Test
    public void searchByUsernameIsExactRegardlessOfCase() {
        User alice = data.user("Alice");
        data.user("alice2");

        UserSearch byName = new UserSearch("ALICE", null, false, false);
        assertThat(users.search(byName, 0, 10)).containsExactly(alice);
        assertThat(users.count(byName)).isEqualTo(1);
    }

    @Test
    public void searchTextMatchesPartsOfUsernameAndNameAndOnlyWholeEmailsWhenAsked() {
        User carol = users.insert(new User(users.nextId(), "carol", "Carol Smith 1st", "c.smith@example.org", false, false,
                UserState.ACTIVE, TestData.T0));
        User dave = users.insert(new User(users.nextId(), "dave_100", "Dave 100%", "dave@example.org", false, false,
                UserState.ACTIVE, TestData.T0));

        assertThat(users.search(new UserSearch(null, "SMI", false, false), 0, 10)).containsExactly(carol);
        assertThat(users.search(new UserSearch(null, "aro", false, false), 0, 10)).containsExactly(carol);
        assertThat(users.search(new UserSearch(null, "example.org", true, false), 0, 10)).isEmpty();
        assertThat(users.search(new UserSearch(null, "C.Smith@example.org", false, false), 0, 10)).isEmpty();
        assertThat(users.search(new UserSearch(null, "C.Smith@example.org", true, false), 0, 10))
                .containsExactly(carol);
        // LIKE wildcards in the text are plain characters
        assertThat(users.search(new UserSearch(null, "_1", false, false), 0, 10)).containsExactly(dave);
        assertThat(users.search(new UserSearch(null, "%", false, false), 0, 10)).containsExactly(dave);
        assertThat(users.count(new UserSearch(null, "a", false, false))).isEqualTo(2);
    }

    @Test
    public void searchActiveOnlyLeavesOutBlockedAndDeactivatedUsers() {
        User active = data.user("still-here");
        users.insert(data.userRecord("blocked-one", false, UserState.BLOCKED));
        users.insert(data.userRecord("gone-one", false, UserState.DEACTIVATED));

        UserSearch activeOnly = new UserSearch(null, null, false, true);
        assertThat(users.search(activeOnly, 0, 10)).containsExactly(active);
        assertThat(users.count(activeOnly)).isEqualTo(1);
        assertThat(users.count(UserSearch.EVERYONE)).isEqualTo(3);
    }
}
