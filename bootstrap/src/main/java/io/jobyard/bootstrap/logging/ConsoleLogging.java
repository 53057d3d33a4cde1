package io.jobyard.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;

/**
 * The server's logging: one line per event on stdout, libraries quiet below WARN, the root level from
 * {@code JOBYARD_LOG_LEVEL}. Configured in code because parsing an XML configuration is a visible share of a
 * standalone start. An operator's own file still takes over when named by the {@code logback.configurationFile}
 * system property; a {@code logback.xml} somewhere on the class path does not, since libraries ship those by mistake.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    private static final String DISCARDING = "DISCARDING";
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{36} - %msg%n";

    private static final Map<String, Level> QUIET_LIBRARIES = Map.of(
            "org.xnio", Level.WARN,
            "io.undertow", Level.WARN,
            "org.flywaydb", Level.WARN,
            "com.zaxxer.hikari", Level.WARN,
            "software.amazon", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(lineEncoder(context));
        stdout.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stdout);
        root.setLevel(Level.toLevel(System.getenv().getOrDefault("JOBYARD_LOG_LEVEL", "INFO"), Level.INFO));
        QUIET_LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * A logger whose lines are formatted as the console's are and then dropped: the warm-up's access log
     * ({@code io.jobyard.bootstrap.RequestWarmup}), so the formatting the real access log does on every request is
     * compiled before readiness without its thousands of lines being printed. Without logback, a logger that does
     * nothing.
     */
    public static org.slf4j.Logger discarding(String name) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return NOPLogger.NOP_LOGGER;
        }
        Logger logger = context.getLogger(name);
        synchronized (ConsoleLogging.class) {
            if (logger.getAppender(DISCARDING) == null) {
                OutputStreamAppender<ILoggingEvent> dropped = new OutputStreamAppender<>();
                dropped.setContext(context);
                dropped.setName(DISCARDING);
                dropped.setEncoder(lineEncoder(context));
                dropped.setOutputStream(OutputStream.nullOutputStream());
                dropped.start();
                logger.addAppender(dropped);
                logger.setAdditive(false);
                logger.setLevel(Level.INFO);
            }
        }
        return logger;
    }

    /** One line per event, as {@link #PATTERN} lays it out. */
    private static PatternLayoutEncoder lineEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** Applies the configured root level (which may come from the properties file rather than the environment). */
    public static void setRootLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT),
                    Level.INFO));
        }
    }
}
