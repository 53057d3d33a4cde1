package io.jobyard.application.service.admin;

import java.net.URI;
import io.jobyard.application.Services;
import io.jobyard.application.memory.InMemoryPorts;
import io.jobyard.application.port.in.auth.AuthenticateUseCase;
import io.jobyard.application.port.out.UserRepository;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FirstAdministratorTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final InMemoryPorts ports = new InMemoryPorts(clock);
    private final UserRepository users = ports.repos.users();
    private final Services services = ports.wire(Services.Settings.defaults(URI.create("https://ci.example.com")));
    private final FirstAdministrator first = services.firstAdministrator();
    private final AuthenticateUseCase authenticate = services.authenticate();

    @Test
    void anEmptyInstallationGetsAnAdministratorAndItsTokenOnce() {
        Optional<String> secret = first.ensure(null);

        assertThat(secret).isPresent();
        Actor actor = authenticate.byAccessToken(secret.get());
        User root = actor.user().orElseThrow();
        assertThat(root.username()).isEqualTo("root");
        assertThat(root.admin()).isTrue();
        assertThat(actor.canWrite()).isTrue();
        assertThat(users.tokensOf(root.id())).singleElement()
                .satisfies(token -> {
                    assertThat(token.scopes()).containsExactly(TokenScope.API);
                    assertThat(token.digest()).isNotEqualTo(secret.get());
                });
    }

    @Test
    void laterStartsNeitherCreateNorRevealTokens() {
        first.ensure(null);

        assertThat(first.ensure(null)).isEmpty();
        assertThat(users.count()).isEqualTo(1);
    }

    @Test
    void aPresetTokenIsUsedAndNotEchoed() {
        String preset = "operator-chosen-token-0123456789";

        assertThat(first.ensure(preset)).isEmpty();
        assertThat(authenticate.byAccessToken(preset).isAdmin()).isTrue();
    }
}
