package io.jobyard.domain.user;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Personal access tokens expire at the start of their expiry date (UTC); api scope writes, read_api only reads. */
class AccessTokenTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static AccessToken token(LocalDate expiresAt, Set<TokenScope> scopes) {
        return new AccessToken(1, UserId.of(1), "ci", "digest", scopes, expiresAt, false, T0);
    }

    @Test
    void aTokenWithoutExpiryNeverExpires() {
        assertThat(token(null, Set.of(TokenScope.API)).expired(Instant.parse("2999-01-01T00:00:00Z"))).isFalse();
    }

    @Test
    void aTokenExpiresAtTheStartOfItsExpiryDateInUtc() {
        AccessToken token = token(LocalDate.of(2024, 6, 1), Set.of(TokenScope.API));
        assertThat(token.expired(Instant.parse("2024-05-31T23:59:59.999Z"))).isFalse();
        assertThat(token.expired(Instant.parse("2024-06-01T00:00:00Z"))).isTrue();
        assertThat(token.expired(Instant.parse("2024-06-01T12:00:00Z"))).isTrue();
        assertThat(token.expired(Instant.parse("2025-01-01T00:00:00Z"))).isTrue();
    }

    @Test
    void scopesDecideWrites() {
        assertThat(token(null, Set.of(TokenScope.API)).canWrite()).isTrue();
        assertThat(token(null, Set.of(TokenScope.READ_API)).canWrite()).isFalse();
        assertThat(token(null, Set.of(TokenScope.READ_API, TokenScope.API)).canWrite()).isTrue();
    }

    @Test
    void aTokenNeedsAScope() {
        assertThatThrownBy(() -> token(null, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scopeWireNames() {
        assertThat(TokenScope.fromWireName("read_api")).contains(TokenScope.READ_API);
        assertThat(TokenScope.fromWireName("k8s_proxy")).contains(TokenScope.K8S_PROXY);
        assertThat(TokenScope.fromWireName("self_rotate")).contains(TokenScope.SELF_ROTATE);
        assertThat(TokenScope.fromWireName("sudo")).isEmpty();
    }

    @Test
    void aTokenIsActiveUntilItIsRevokedOrExpires() {
        AccessToken token = token(LocalDate.of(2024, 6, 1), Set.of(TokenScope.API));
        assertThat(token.active(T0)).isTrue();
        assertThat(token.active(Instant.parse("2024-06-01T00:00:00Z"))).isFalse();
        AccessToken revoked = token.revoke();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.active(T0)).isFalse();
        assertThat(revoked).isEqualTo(new AccessToken(1, UserId.of(1), "ci", "digest", Set.of(TokenScope.API),
                LocalDate.of(2024, 6, 1), true, T0));
    }

    @Test
    void useIsRecordedWithoutChangingAnythingElse() {
        AccessToken token = token(null, Set.of(TokenScope.API));
        Instant later = T0.plusSeconds(600);
        assertThat(token.lastUsedAt()).isNull();
        assertThat(token.usedAt(later).lastUsedAt()).isEqualTo(later);
        assertThat(token.usedAt(later).usedAt(null)).isEqualTo(token);
    }

    @Test
    void usernamesAreValidated() {
        assertThatThrownBy(() -> new User(UserId.of(1), "-bad", "n", null, false, false, UserState.ACTIVE, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new User(UserId.of(1), "has space", "n", null, false, false, UserState.ACTIVE, T0))
                .isInstanceOf(IllegalArgumentException.class);
        User user = new User(UserId.of(1), "jane.doe-1_x", "Jane", null, false, false, UserState.ACTIVE, T0);
        assertThat(user.active()).isTrue();
        assertThat(new User(UserId.of(1), "b", "B", null, false, false, UserState.BLOCKED, T0).active()).isFalse();
    }
}
