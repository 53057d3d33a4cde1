package io.jobyard.bootstrap.reliability;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.application.port.in.session.SignInUseCase.SignedIn;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16's sign-in foundations, assembled: {@code POST /users} keeps the password only as an Argon2id hash, and a
 * session signed in through one instance is served, used, ended and refused by another sharing the database.
 */
class SignInAcrossInstancesTest {
    private static final String ADMIN_TOKEN = "sign-in-admin-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void aPasswordGivenToPostUsersSignsInOnAnyInstanceAndIsStoredOnlyAsAnArgon2idHash() throws Exception {
        try (QuietLogs quiet = new QuietLogs();
             HikariDataSource shared = DataSources.create(DataSources.Settings.of(
                     DataSources.h2FileUrl(dir.resolve("h2")), "sa", "", 10))) {
            List<Jobyard> instances = new ArrayList<>();
            try (AutoCloseable closeAll = () -> instances.forEach(Jobyard::close)) {
                for (int i = 0; i < 2; i++) {
                    instances.add(Jobyard.builder().dataSource(shared).filesystemStorage(dir.resolve("fs")).build());
                }
                Jobyard a = instances.get(0);
                Jobyard b = instances.get(1);
                a.ensureFirstAdministrator(ADMIN_TOKEN);
                try (JobyardServer server = new JobyardServer("127.0.0.1", 0, a.httpHandler(),
                        Duration.ofSeconds(5), a::ready).start()) {
                    Api api = new Api("http://127.0.0.1:" + server.port(), ADMIN_TOKEN);
                    assertThat(api.admin("POST", "/users", "username=alice&name=Alice&email=alice%40example.com"
                            + "&password=correct+horse+battery").status()).isEqualTo(201);
                    Api.Reply tooShort = api.admin("POST", "/users", "username=bob&name=Bob"
                            + "&email=bob%40example.com&password=1234567");
                    assertThat(tooShort.status()).isEqualTo(400);
                    assertThat(tooShort.text()).contains("password is too short (minimum is 8 characters)");
                    assertThat(api.admin("GET", "/users?username=bob", null).text()).isEqualTo("[]");
                }

                try (Connection connection = shared.getConnection(); Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT password_hash FROM user_passwords")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
                            .doesNotContain("correct");
                    assertThat(rows.next()).isFalse();
                }

                SignedIn signedIn = a.useCases().signIn().withPassword("alice", "correct horse battery");
                Actor onB = b.useCases().webSessions().authenticate(signedIn.sessionId());
                assertThat(onB.user().orElseThrow().username()).isEqualTo("alice");
                String csrf = a.useCases().webSessions().csrfToken(signedIn.sessionId());
                b.useCases().webSessions().verifyCsrf(signedIn.sessionId(), csrf);
                assertThatThrownBy(() -> a.useCases().signIn().withPassword("alice", "wrong horse battery"))
                        .isInstanceOf(UnauthorizedException.class).hasMessage(SignInUseCase.INVALID_LOGIN);

                b.useCases().signIn().signOut(signedIn.sessionId());

                assertThatThrownBy(() -> a.useCases().webSessions().authenticate(signedIn.sessionId()))
                        .isInstanceOf(UnauthorizedException.class);
            }
        }
    }
}
