package io.jobyard.bootstrap;

import io.jobyard.bootstrap.logging.ConsoleLogging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: reads the configuration, starts, and stops gracefully on SIGTERM. A bad setting ends the
 * start with one line on stderr naming it, and exit code 2.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        StartupWarmup.begin();
        Configuration configuration;
        try {
            configuration = Configuration.fromEnvironment();
        } catch (ConfigurationException e) {
            System.err.println("jobyard: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        ConsoleLogging.setRootLevel(configuration.logLevel());
        Standalone standalone;
        try {
            standalone = Standalone.start(configuration);
        } catch (StartupException e) {
            System.err.println("jobyard: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(standalone::close, "jobyard-shutdown"));
        standalone.firstAdministratorToken().ifPresent(token -> System.out.println(
                "Jobyard created the administrator 'root'. Its API token (shown only this once): " + token));
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Jobyard listening on {}:{} as {}", configuration.bind(), standalone.port(),
                configuration.externalUrl());
    }
}
