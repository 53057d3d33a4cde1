package io.jobyard.application.service.session;

import io.jobyard.application.Services;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.FakePasswordHasher;
import io.jobyard.application.memory.InMemoryPasswordRepository;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.memory.InMemoryWebSessionRepository;
import io.jobyard.application.port.in.session.PasswordsUseCase;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.service.MutableClock;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;

/**
 * Sign-in, sessions and passwords over the in-memory ports, wired as the application wires them, with a clock tests
 * move.
 */
final class SessionWorld {
    static final SessionPolicy POLICY = new SessionPolicy(Duration.ofDays(7), Duration.ofDays(30));

    final MutableClock clock = new MutableClock(TestData.T0.plus(Duration.ofDays(1)));
    final InMemoryPorts ports = new InMemoryPorts(clock);
    final Repositories repos = ports.repos;
    final TestData data = new TestData(repos);
    final InMemoryPasswordRepository passwords = ports.passwordStore;
    final InMemoryWebSessionRepository sessions = ports.webSessionStore;
    final FakePasswordHasher hasher = ports.hasher;
    final Services.Settings settings = Services.Settings.defaults(URI.create("https://ci.example.com"))
            .withSessions(POLICY);
    final Services services = ports.wire(settings);
    final SignInUseCase signIn = services.signIn();
    final WebSessionService web = services.webSessionService();
    final User root = data.admin("root");

    /** The passwords use case over another password store. */
    PasswordsUseCase passwordsWith(PasswordRepository store) {
        return ports.wire(settings, changed -> changed.passwords = store).passwords();
    }

    PasswordsUseCase passwordService() {
        return services.passwords();
    }

    Actor as(User user) {
        return Actor.UserActor.withFullAccess(user);
    }

    /** A user with {@code password} set the way an administrator sets one. */
    User userWithPassword(String username, String password) {
        User user = data.user(username);
        passwordService().setPassword(as(root), user.id(), password);
        return user;
    }

    /** A personal access token of {@code user}: its secret. */
    String token(User user, Set<TokenScope> scopes, LocalDate expiresAt) {
        String secret = SecretTokens.generate("glpat-");
        repos.users().insertToken(data.tokenRecord(user, SecretTokens.digest(secret), scopes, expiresAt, false));
        return secret;
    }
}
