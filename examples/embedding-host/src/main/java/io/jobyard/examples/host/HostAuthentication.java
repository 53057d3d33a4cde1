package io.jobyard.examples.host;

import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.User;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobyard's authentication as the host wants it: the host's API keys are accepted wherever GitLab's API takes a token
 * ({@code PRIVATE-TOKEN}, {@code Authorization: Bearer}) and act as the Jobyard user of the same name; anything else
 * falls back to Jobyard's own personal access tokens and CI job tokens.
 */
final class HostAuthentication implements AuthenticateUseCase {
    private final HostAccounts accounts;
    private final AuthenticateUseCase jobyardTokens;
    private final Map<String, User> jobyardUsers = new ConcurrentHashMap<>();

    HostAuthentication(HostAccounts accounts, AuthenticateUseCase jobyardTokens) {
        this.accounts = accounts;
        this.jobyardTokens = jobyardTokens;
    }

    /** Called once the host has made sure its user has a Jobyard user. */
    void linked(String username, User user) {
        jobyardUsers.put(username, user);
    }

    /** The Jobyard user behind a host API key, if the key is valid. */
    Optional<User> user(String apiKey) {
        return accounts.username(apiKey).map(jobyardUsers::get);
    }

    @Override
    public Actor byAccessToken(String token) {
        Optional<User> user = user(token);
        return user.isPresent() ? Actor.UserActor.withFullAccess(user.get()) : jobyardTokens.byAccessToken(token);
    }

    @Override
    public Actor byJobToken(String token) {
        return jobyardTokens.byJobToken(token);
    }
}
