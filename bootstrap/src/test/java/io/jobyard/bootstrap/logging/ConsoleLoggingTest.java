package io.jobyard.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLoggingTest {

    @Test
    void configuresOneStdoutAppenderAndQuietsTheLibraries() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);

        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDOUT")).isNotNull();
        assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.undertow").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.jobyard.access").getEffectiveLevel()).isEqualTo(root.getLevel());
    }

    @Test
    void anOperatorsOwnConfigurationFileTakesOver() {
        System.setProperty("logback.configurationFile", "/etc/jobyard/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);

            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    @Test
    void theConfiguredLevelReplacesTheDefault() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            ConsoleLogging.setRootLevel("warn");
            assertThat(root.getLevel()).isEqualTo(Level.WARN);
        } finally {
            root.setLevel(before);
        }
    }
}
