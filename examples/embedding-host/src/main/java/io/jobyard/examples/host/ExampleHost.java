package io.jobyard.examples.host;

import io.jobyard.application.port.in.admin.UsersUseCase.NewUser;
import io.jobyard.application.port.in.admin.UsersUseCase.UserFilter;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.user.User;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small service that embeds Jobyard: its own HTTP server with its own route ({@code GET /whoami}) and its own API
 * keys, and GitLab's Jobs and runner API under {@code /ci}, where the same keys work. See this example's README.md.
 */
public final class ExampleHost implements AutoCloseable {
    private final Jobyard jobyard;
    private final Undertow server;
    private final HostAuthentication authentication;
    private final int port;

    private ExampleHost(Jobyard jobyard, Undertow server, HostAuthentication authentication) {
        this.jobyard = jobyard;
        this.server = server;
        this.authentication = authentication;
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * Starts the host.
     *
     * @param port          where to listen on loopback; 0 for any free port
     * @param dataDirectory the host's database and Jobyard's artifacts and logs
     * @param accounts      the host's API keys
     */
    public static ExampleHost start(int port, Path dataDirectory, HostAccounts accounts) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dataDirectory.resolve("host") + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");

        AtomicReference<HostAuthentication> authentication = new AtomicReference<>();
        Jobyard jobyard = Jobyard.builder()
                .dataSource(dataSource)
                .filesystemStorage(dataDirectory.resolve("ci"))
                .authentication(jobyardTokens -> {
                    authentication.set(new HostAuthentication(accounts, jobyardTokens));
                    return authentication.get();
                })
                .build();
        try {
            linkUsers(jobyard, dataDirectory, accounts, authentication.get());
            jobyard.startBackgroundWork(Duration.ofMinutes(5));
            Undertow server = Undertow.builder()
                    .addHttpListener(port, "127.0.0.1")
                    .setHandler(Handlers.path()
                            .addExactPath("/whoami", exchange -> whoami(exchange, authentication.get()))
                            .addPrefixPath("/ci", jobyard.httpHandler()))
                    .build();
            server.start();
            return new ExampleHost(jobyard, server, authentication.get());
        } catch (RuntimeException e) {
            jobyard.close();
            throw e;
        }
    }

    /**
     * Gives every host user a Jobyard user of the same name (once: the database remembers them), acting as Jobyard's
     * first administrator. The host made that administrator on its first start, with a token it generated and keeps
     * in its data directory, readable by itself only.
     */
    private static void linkUsers(Jobyard jobyard, Path dataDirectory, HostAccounts accounts,
                                  HostAuthentication authentication) {
        String operatorToken = operatorToken(dataDirectory);
        jobyard.ensureFirstAdministrator(operatorToken);
        Jobyard.UseCases ci = jobyard.useCases();
        Actor operator = ci.authenticate().byAccessToken(operatorToken);
        for (String username : accounts.usernames()) {
            User user = ci.users().listUsers(operator, new UserFilter(username, null, false),
                            new Pagination.Offset(1, 1)).items().stream().findFirst()
                    .orElseGet(() -> ci.users().createUser(operator,
                            new NewUser(username, username, username + "@host.example", false)));
            authentication.linked(username, user);
        }
    }

    private static String operatorToken(Path dataDirectory) {
        Path file = dataDirectory.resolve("operator-token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = "host-" + HexFormat.of().formatHex(random);
            Files.createDirectories(dataDirectory);
            Files.writeString(file, token);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's ACL is all there is.
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host's own route: who the caller is, by the host's own API key ({@code Authorization: Bearer <key>}). */
    private static void whoami(HttpServerExchange exchange, HostAuthentication authentication) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String key = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : null;
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        Optional<User> user = authentication.user(key);
        if (user.isEmpty()) {
            exchange.setStatusCode(StatusCodes.UNAUTHORIZED);
            exchange.getResponseSender().send("unknown API key\n");
            return;
        }
        exchange.getResponseSender().send(user.get().username() + "\n");
    }

    /** Where the host listens. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Jobyard, for calling its use cases directly. */
    public Jobyard jobyard() {
        return jobyard;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            jobyard.close();
        }
    }

    /**
     * {@code ExampleHost <port> <data directory> <api key>=<username>...}; stops on Ctrl-C.
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: ExampleHost <port> <data directory> <api key>=<username>...");
            System.exit(2);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            keys.put(pair[0], pair[1]);
        }
        ExampleHost host = start(Integer.parseInt(args[0]), Path.of(args[1]), new HostAccounts(keys));
        Runtime.getRuntime().addShutdownHook(new Thread(host::close));
        System.out.println("listening on " + host.uri() + " (GitLab's API under " + host.uri() + "/ci/api/v4)");
    }
}
