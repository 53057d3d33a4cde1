package io.jobyard.bootstrap;

import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: reads the configuration, starts, and stops gracefully on SIGTERM. A bad setting ends the
 * start with one line on stderr naming it, and exit code 2.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Configuration configuration;
        try {
            configuration = Configuration.fromEnvironment();
        } catch (ConfigurationException e) {
            System.err.println("jobyard: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        JobyardServer server = new JobyardServer(configuration.bind(), configuration.port(), exchange -> {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send("{\"error\":\"404 Not Found\"}");
        }, configuration.shutdownGrace()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jobyard-shutdown"));
        LOG.info("Jobyard listening on {}:{} as {}", configuration.bind(), server.port(), configuration.externalUrl());
    }
}
