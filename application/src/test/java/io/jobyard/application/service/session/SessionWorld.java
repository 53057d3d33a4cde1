package io.jobyard.application.service.session;

import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.InMemoryPasswordRepository;
import io.jobyard.application.memory.InMemoryRepositories;
import io.jobyard.application.memory.InMemoryTransactor;
import io.jobyard.application.memory.InMemoryWebSessionRepository;
import io.jobyard.application.port.out.session.PasswordRepository;
import io.jobyard.application.service.AdministerService;
import io.jobyard.application.service.AuthenticateService;
import io.jobyard.application.service.MutableClock;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.session.SessionPolicy;
import io.jobyard.domain.user.SignInLockout;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;

/** Sign-in, sessions and passwords over the in-memory ports, with a clock tests move. */
final class SessionWorld {
    static final SessionPolicy POLICY = new SessionPolicy(Duration.ofDays(7), Duration.ofDays(30));

    final MutableClock clock = new MutableClock(TestData.T0.plus(Duration.ofDays(1)));
    final Repositories repos = InMemoryRepositories.create();
    final TestData data = new TestData(repos);
    final InMemoryTransactor transactor = (InMemoryTransactor) repos.transactor();
    final InMemoryPasswordRepository passwords = new InMemoryPasswordRepository(transactor);
    final InMemoryWebSessionRepository sessions = new InMemoryWebSessionRepository(transactor);
    final FakePasswordHasher hasher = new FakePasswordHasher();
    final AuthenticateService authenticate = new AuthenticateService(repos.users(), repos.jobs(), repos.projects(),
            clock);
    final AdministerService administer = new AdministerService(repos.users(), repos.projects(), transactor, clock);
    final SignInService signIn = new SignInService(repos.users(), passwords, hasher, sessions, authenticate, POLICY,
            SignInLockout.GITLAB, clock);
    final WebSessionService web = new WebSessionService(sessions, repos.users(), transactor, POLICY, clock);
    final User root = data.admin("root");

    PasswordService passwordsWith(PasswordRepository store) {
        return new PasswordService(administer, repos.users(), store, sessions, hasher, transactor, clock);
    }

    PasswordService passwordService() {
        return passwordsWith(passwords);
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
