package io.jobyard.application.service.admin;

import io.jobyard.application.port.out.Transactor;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.user.AccessToken;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserState;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Gives an empty installation its first administrator, {@code root}, with an {@code api} token: the preset one when
 * the operator chose it, else a generated one that is returned exactly once. An installation that has users is left
 * alone, so restarts never mint or reveal tokens. Several instances starting together race on the unique username;
 * the losers find the winner's user and do nothing.
 */
public final class FirstAdministrator {
    public static final String USERNAME = "root";

    private final UserRepository users;
    private final Transactor transactor;
    private final Clock clock;

    public FirstAdministrator(UserRepository users, Transactor transactor, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param presetToken the token the operator configured, or null to generate one
     * @return the generated token's secret, when one was generated now; empty otherwise
     */
    public Optional<String> ensure(String presetToken) {
        if (users.count() > 0) {
            return Optional.empty();
        }
        String secret = presetToken != null ? presetToken : SecretTokens.generate(AccessTokensService.TOKEN_PREFIX);
        try {
            transactor.run(() -> {
                Instant now = clock.instant();
                User root = users.insert(new User(users.nextId(), USERNAME, "Administrator", null, true, false,
                        UserState.ACTIVE, now));
                users.insertToken(new AccessToken(users.nextTokenId(), root.id(), "initial administrator token",
                        SecretTokens.digest(secret), Set.of(TokenScope.API), null, false, now));
            });
        } catch (ConflictException anotherInstanceWon) {
            return Optional.empty();
        }
        return presetToken != null ? Optional.empty() : Optional.of(secret);
    }
}
