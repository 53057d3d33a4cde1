package io.jobyard.bootstrap;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.throttle.ThrottleSettings;
import io.jobyard.adapter.http.throttle.TrustedProxies;
import io.jobyard.application.service.artifact.OrphanBlobSweeper;
import io.jobyard.application.service.job.ListJobsService;
import io.jobyard.application.service.pipeline.PipelineLimits;
import io.jobyard.domain.user.TokenLifetime;
import io.jobyard.application.service.live.LiveLogSettings;
import io.jobyard.application.service.trace.TraceArchiveSettings;
import io.jobyard.domain.session.SessionPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything the standalone server can be told, validated at start. Every invalid value stops the start with one
 * {@link ConfigurationException} line that names the setting.
 *
 * @param storage "filesystem" or "s3"
 * @param adminToken the token to give the first administrator, or null to generate one
 * @param tokenLifetime the longest lifetime of a new personal access token
 * @param authThrottle the failed-authentication throttle, or null when it is off
 * @param encryptionKey the key sealing pipeline and job variables (base64 of 32 bytes), or null to use
 *                      {@code encryptionKeyFile}
 * @param metricsToken the token {@code /-/metrics} requires, or null for none
 * @param metricsPort the port of {@code /-/metrics}' own listener (on {@code metricsBind}), or null to serve it on the
 *                    API's listener
 */
public record Configuration(
        int port,
        String bind,
        URI externalUrl,
        Path dataDir,
        String adminToken,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        String storage,
        S3 s3,
        long maxArtifactSize,
        long maxLogSize,
        Duration artifactDefaultExpiry,
        Duration sweepInterval,
        Duration shutdownGrace,
        String logLevel,
        Duration runnerLongPoll,
        Duration orphanGrace,
        Duration httpHeaderTimeout,
        Duration httpBodyTimeout,
        Duration httpBodyIdleTimeout,
        Duration httpKeepAliveTimeout,
        int maxConnections,
        long httpBodyBuffer,
        TokenLifetime tokenLifetime,
        ThrottleSettings authThrottle,
        int maxPipelineJobs,
        long maxCiConfigSize,
        int maxCiConfigDepth,
        String encryptionKey,
        Path encryptionKeyFile,
        String metricsToken,
        String metricsBind,
        Integer metricsPort,
        Duration eventRetention,
        Duration webhookTimeout,
        Duration webhookRetryDelay,
        LiveLogSettings liveLog,
        SessionPolicy sessions,
        Duration changeFeedDelay,
        TraceArchiveSettings traceArchiving,
        Duration warmup) {

    /**
     * The longest a start exercises the request paths on a throwaway project before readiness turns green
     * ({@code JOBYARD_WARMUP}, see {@link RequestWarmup}); it ends sooner once the JIT compilers are quiet
     * ({@link CompilerQuiet}), which on two quiet cores took 83 s; 0 turns the warm-up off.
     */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(90);

    /**
     * {@link #DEFAULT_WARMUP}, unless the JVM system property {@code jobyard.warmup} gives another default (a duration
     * in seconds; the build's test suites set 0, so that the servers the tests start spend no CPU on it).
     */
    private static Duration defaultWarmup() {
        String property = System.getProperty("jobyard.warmup");
        if (property == null || property.isBlank()) {
            return DEFAULT_WARMUP;
        }
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(property.trim()) * 1000));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("jobyard.warmup", "must be a number of seconds, was '" + property + "'");
        }
    }

    /** The longest any of the HTTP timeouts may be (they are counted in int milliseconds underneath). */
    private static final Duration MAX_HTTP_TIMEOUT = Duration.ofDays(1);

    /** What one pipeline creation may make: jobs, configuration size and depth. */
    public PipelineLimits pipelineLimits() {
        return new PipelineLimits(maxPipelineJobs, maxCiConfigSize, maxCiConfigDepth);
    }

    /** Object storage settings; null when storage is the filesystem. */
    public record S3(String endpoint, String region, String bucket, String accessKey, String secretKey,
                     boolean pathStyle, boolean redirectDownloads) {
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle="
                    + pathStyle + ", redirectDownloads=" + redirectDownloads + "]";
        }
    }

    @Override
    public String toString() {
        // Never print secrets: the admin token and database password stay out of logs.
        return "Configuration[port=" + port + ", bind=" + bind + ", externalUrl=" + externalUrl + ", dataDir="
                + dataDir + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", dbPoolSize=" + dbPoolSize + ", storage="
                + storage + ", s3=" + s3 + ", maxArtifactSize=" + maxArtifactSize + ", maxLogSize=" + maxLogSize
                + ", artifactDefaultExpiry=" + artifactDefaultExpiry + ", sweepInterval=" + sweepInterval
                + ", shutdownGrace=" + shutdownGrace + ", logLevel=" + logLevel + ", runnerLongPoll=" + runnerLongPoll
                + ", orphanGrace=" + orphanGrace + ", httpHeaderTimeout=" + httpHeaderTimeout + ", httpBodyTimeout="
                + httpBodyTimeout + ", httpBodyIdleTimeout=" + httpBodyIdleTimeout + ", httpKeepAliveTimeout="
                + httpKeepAliveTimeout + ", maxConnections=" + maxConnections + ", httpBodyBuffer=" + httpBodyBuffer
                + ", tokenLifetime=" + tokenLifetime
                + ", authThrottle=" + authThrottle + ", maxPipelineJobs=" + maxPipelineJobs + ", maxCiConfigSize="
                + maxCiConfigSize + ", maxCiConfigDepth=" + maxCiConfigDepth + ", encryptionKey="
                + (encryptionKey == null ? "none" : "set") + ", encryptionKeyFile=" + encryptionKeyFile
                + ", metricsToken=" + (metricsToken == null ? "none" : "set") + ", metricsBind=" + metricsBind
                + ", metricsPort=" + metricsPort + ", eventRetention=" + eventRetention
                + ", webhookTimeout=" + webhookTimeout + ", webhookRetryDelay=" + webhookRetryDelay + ", liveLog=" + liveLog
                + ", sessions=" + sessions + ", changeFeedDelay=" + changeFeedDelay
                + ", traceArchiving=" + traceArchiving
                + "]";
    }

    public static Configuration fromEnvironment() {
        return from(System.getenv());
    }

    public static Configuration from(Map<String, String> environment) {
        Settings s = Settings.from(environment);
        int port = intSetting(s, "PORT", 8080, 0, 65535);
        String bind = s.get("BIND").orElse("0.0.0.0");
        if (!bind.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new ConfigurationException(s.name("BIND"), "must be a host name or IP address, was '" + bind + "'");
        }
        URI externalUrl = url(s, "EXTERNAL_URL", "http://localhost:" + (port == 0 ? 8080 : port));
        Path dataDir = s.get("DATA_DIR").map(v -> path(s, "DATA_DIR", v)).orElse(Path.of("data"));
        // WRITE_DELAY=0: H2 keeps no redo log and by default writes commits to its file up to 500 ms later, so a
        // kill -9 loses transactions it had acknowledged; with 0 every commit is in the file (the OS's cache) before
        // it returns.
        String dbUrl = s.get("DB_URL").orElse("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db/jobyard")
                + ";WRITE_DELAY=0");
        if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException(s.name("DB_URL"),
                    "must be a jdbc:h2: or jdbc:postgresql: URL, was '" + dbUrl + "'");
        }
        String storage = s.get("STORAGE").orElse("filesystem").toLowerCase(Locale.ROOT);
        S3 s3 = switch (storage) {
            case "filesystem" -> null;
            case "s3" -> new S3(
                    url(s, "S3_ENDPOINT", null).toString(),
                    s.get("S3_REGION").orElse("us-east-1"),
                    required(s, "S3_BUCKET"),
                    required(s, "S3_ACCESS_KEY"),
                    required(s, "S3_SECRET_KEY"),
                    bool(s, "S3_PATH_STYLE", true),
                    bool(s, "S3_REDIRECT_DOWNLOADS", false));
            default -> throw new ConfigurationException(s.name("STORAGE"),
                    "must be 'filesystem' or 's3', was '" + storage + "'");
        };
        String logLevel = s.get("LOG_LEVEL").orElse("INFO").toUpperCase(Locale.ROOT);
        if (!logLevel.matches("TRACE|DEBUG|INFO|WARN|ERROR|OFF")) {
            throw new ConfigurationException(s.name("LOG_LEVEL"),
                    "must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, was '" + logLevel + "'");
        }
        String adminToken = s.get("ADMIN_TOKEN").orElse(null);
        if (adminToken != null && (adminToken.length() < 20 || !adminToken.matches("[A-Za-z0-9_\\-]+"))) {
            throw new ConfigurationException(s.name("ADMIN_TOKEN"),
                    "must be at least 20 characters of letters, digits, '-' and '_'");
        }
        String encryptionKey = s.get("ENCRYPTION_KEY").orElse(null);
        if (encryptionKey != null) {
            try {
                EncryptionKeys.decode(encryptionKey);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(s.name("ENCRYPTION_KEY"), e.getMessage());
            }
        }
        Path encryptionKeyFile = s.get("ENCRYPTION_KEY_FILE").map(v -> path(s, "ENCRYPTION_KEY_FILE", v))
                .orElse(dataDir.resolve("encryption.key"));
        String metricsToken = s.get("METRICS_TOKEN").orElse(null);
        if (metricsToken != null && (metricsToken.length() < 16 || !metricsToken.matches("[\\x21-\\x7E]+"))) {
            throw new ConfigurationException(s.name("METRICS_TOKEN"),
                    "must be at least 16 printable characters without spaces");
        }
        String metricsBind = s.get("METRICS_BIND").orElse("127.0.0.1");
        if (!metricsBind.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new ConfigurationException(s.name("METRICS_BIND"),
                    "must be a host name or IP address, was '" + metricsBind + "'");
        }
        Integer metricsPort = s.get("METRICS_PORT").isPresent() ? intSetting(s, "METRICS_PORT", 0, 0, 65535) : null;
        long maxCiConfigSize = size(s, "MAX_CI_CONFIG_SIZE", PipelineLimits.DEFAULTS.maxConfigBytes());
        long largestBody = HttpSettings.of(externalUrl).withMaxCiConfigBytes(maxCiConfigSize).ciConfigBodyBytes();
        long httpBodyBuffer = size(s, "HTTP_BODY_BUFFER", Math.max(largestBody, HttpSettings.DEFAULT_BODY_BUFFER_BYTES));
        if (httpBodyBuffer < largestBody) {
            throw new ConfigurationException(s.name("HTTP_BODY_BUFFER"), "must hold the largest request body, "
                    + largestBody / 1024 + "k with JOBYARD_MAX_CI_CONFIG_SIZE at " + maxCiConfigSize / 1024 + "k");
        }
        return new Configuration(
                port, bind, externalUrl, dataDir, adminToken, dbUrl,
                s.get("DB_USER").orElse(dbUrl.startsWith("jdbc:h2:") ? "sa" : null),
                s.get("DB_PASSWORD").orElse(""),
                intSetting(s, "DB_POOL_SIZE", 10, 1, 1000),
                storage, s3,
                size(s, "MAX_ARTIFACT_SIZE", 1L << 30),
                size(s, "MAX_LOG_SIZE", 100L << 20),
                duration(s, "ARTIFACT_DEFAULT_EXPIRY", Duration.ofDays(30), true),
                duration(s, "SWEEP_INTERVAL", Duration.ofMinutes(5), false),
                duration(s, "SHUTDOWN_GRACE", Duration.ofSeconds(30), false),
                logLevel,
                s.get("RUNNER_LONG_POLL").filter(v -> v.matches("0+[smhd]?")).isPresent() ? Duration.ZERO
                        : duration(s, "RUNNER_LONG_POLL", Duration.ZERO, false),
                duration(s, "ORPHAN_GRACE", OrphanBlobSweeper.DEFAULT_GRACE, false),
                httpTimeout(s, "HTTP_HEADER_TIMEOUT", JobyardServer.Limits.DEFAULTS.headerTimeout()),
                httpTimeout(s, "HTTP_BODY_TIMEOUT", HttpSettings.DEFAULT_BODY_TIMEOUT),
                httpTimeout(s, "HTTP_BODY_IDLE_TIMEOUT", HttpSettings.DEFAULT_BODY_IDLE_TIMEOUT),
                httpTimeout(s, "HTTP_KEEP_ALIVE_TIMEOUT", JobyardServer.Limits.DEFAULTS.keepAliveTimeout()),
                intSetting(s, "MAX_CONNECTIONS", JobyardServer.Limits.DEFAULTS.maxConnections(), 1, 1_000_000),
                httpBodyBuffer,
                tokenLifetime(s),
                authThrottle(s),
                intSetting(s, "MAX_PIPELINE_JOBS", PipelineLimits.DEFAULTS.maxJobs(), 1, 1_000_000),
                maxCiConfigSize,
                intSetting(s, "MAX_CI_CONFIG_DEPTH", PipelineLimits.DEFAULTS.maxConfigDepth(), 1, 10_000),
                encryptionKey, encryptionKeyFile, metricsToken, metricsBind, metricsPort,
                duration(s, "EVENT_RETENTION", Duration.ofDays(7), false),
                duration(s, "WEBHOOK_TIMEOUT", Duration.ofSeconds(10), false),
                duration(s, "WEBHOOK_RETRY_DELAY", Duration.ofSeconds(10), false),
                liveLog(s),
                new SessionPolicy(duration(s, "SESSION_IDLE_TIMEOUT", SessionPolicy.DEFAULTS.idleTimeout(), false),
                        duration(s, "SESSION_MAX_AGE", SessionPolicy.DEFAULTS.maxAge(), false)),
                s.get("CHANGE_FEED_DELAY").filter(v -> v.matches("0+[smhd]?")).isPresent() ? Duration.ZERO
                        : duration(s, "CHANGE_FEED_DELAY", ListJobsService.DEFAULT_CHANGE_FEED_DELAY, false),
                traceArchiving(s),
                s.get("WARMUP").filter(v -> v.matches("0+[smhd]?")).isPresent() ? Duration.ZERO
                        : duration(s, "WARMUP", defaultWarmup(), false));
    }

    /** Issue 18: archiving finished jobs' logs in the background, from the queue their endings write. */
    private static TraceArchiveSettings traceArchiving(Settings s) {
        TraceArchiveSettings defaults = TraceArchiveSettings.DEFAULTS;
        Duration firstRetry = duration(s, "TRACE_ARCHIVE_RETRY_DELAY", defaults.firstRetry(), false);
        Duration maxRetry = firstRetry.compareTo(defaults.maxRetry()) > 0 ? firstRetry : defaults.maxRetry();
        return defaults
                .withThreads(intSetting(s, "TRACE_ARCHIVE_THREADS", defaults.threads(), 0, 64))
                .withRetry(firstRetry, maxRetry)
                .withLease(duration(s, "TRACE_ARCHIVE_LEASE", defaults.lease(), false));
    }

    private static LiveLogSettings liveLog(Settings s) {
        LiveLogSettings defaults = LiveLogSettings.DEFAULTS;
        long maxPending = size(s, "LIVE_LOG_MAX_PENDING", defaults.maxPendingBytes());
        if (maxPending < 2L * defaults.chunkSize()) {
            throw new ConfigurationException(s.name("LIVE_LOG_MAX_PENDING"), "must be at least "
                    + 2 * defaults.chunkSize() / 1024 + "k, was '" + s.get("LIVE_LOG_MAX_PENDING").orElse("") + "'");
        }
        return defaults
                .withHeartbeat(duration(s, "LIVE_LOG_HEARTBEAT", defaults.heartbeat(), false))
                .withPollInterval(duration(s, "LIVE_LOG_POLL_INTERVAL", defaults.pollInterval(), false))
                .withMaxPendingBytes(maxPending)
                .withThreads(intSetting(s, "LIVE_LOG_THREADS", defaults.threads(), 1, 64));
    }

    /** The server's header and keep-alive timeouts and connection cap. */
    public JobyardServer.Limits serverLimits() {
        return new JobyardServer.Limits(httpHeaderTimeout, httpKeepAliveTimeout, maxConnections);
    }

    /** A positive duration of at most a day, whole milliseconds. */
    private static Duration httpTimeout(Settings s, String name, Duration fallback) {
        Duration value = duration(s, name, fallback, false);
        if (value.compareTo(MAX_HTTP_TIMEOUT) > 0 || value.toMillis() < 1) {
            throw new ConfigurationException(s.name(name), "must be from 1 ms to 1 day, was '"
                    + s.get(name).orElse("") + "'");
        }
        return value;
    }

    /** Whole days, or never (tokens without expiry, GitLab's require_personal_access_token_expiry off). */
    private static TokenLifetime tokenLifetime(Settings s) {
        Duration lifetime = duration(s, "TOKEN_MAX_LIFETIME", Duration.ofDays(TokenLifetime.GITLAB_MAX_DAYS), true);
        if (lifetime == null) {
            return TokenLifetime.UNLIMITED;
        }
        if (lifetime.toDays() < 1 || !lifetime.equals(Duration.ofDays(lifetime.toDays()))
                || lifetime.toDays() > 36_500) {
            throw new ConfigurationException(s.name("TOKEN_MAX_LIFETIME"),
                    "must be whole days from 1d to 36500d (or never), was '" + s.get("TOKEN_MAX_LIFETIME").orElse("")
                            + "'");
        }
        return new TokenLifetime((int) lifetime.toDays());
    }

    private static ThrottleSettings authThrottle(Settings s) {
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.of(List.of(s.get("TRUSTED_PROXIES").orElse("").split(",")));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(s.name("TRUSTED_PROXIES"),
                    "must be IP addresses or CIDR blocks separated by commas (" + e.getMessage() + ")");
        }
        if (!bool(s, "AUTH_THROTTLE", true)) {
            return null;
        }
        return new ThrottleSettings(
                intSetting(s, "AUTH_THROTTLE_LIMIT", ThrottleSettings.DEFAULT_LIMIT, 1, 10_000),
                atLeastASecond(s, "AUTH_THROTTLE_PERIOD", ThrottleSettings.DEFAULT_PERIOD),
                atLeastASecond(s, "AUTH_THROTTLE_BAN", ThrottleSettings.DEFAULT_BAN),
                proxies);
    }

    private static Duration atLeastASecond(Settings s, String name, Duration fallback) {
        Duration value = duration(s, name, fallback, false);
        if (value.toSeconds() < 1) {
            throw new ConfigurationException(s.name(name), "must be at least 1s, was '" + s.get(name).orElse("")
                    + "'");
        }
        return value;
    }

    private static String required(Settings s, String name) {
        return s.get(name).orElseThrow(() -> new ConfigurationException(s.name(name), "is required when "
                + s.name("STORAGE") + " is s3"));
    }

    private static int intSetting(Settings s, String name, int fallback, int min, int max) {
        return s.get(name).map(v -> parse(s, name, v, Integer::parseInt, "a whole number from " + min + " to " + max))
                .map(v -> {
                    if (v < min || v > max) {
                        throw new ConfigurationException(s.name(name),
                                "must be a whole number from " + min + " to " + max + ", was " + v);
                    }
                    return v;
                }).orElse(fallback);
    }

    private static boolean bool(Settings s, String name, boolean fallback) {
        return s.get(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigurationException(s.name(name), "must be true or false, was '" + v + "'");
        }).orElse(fallback);
    }

    private static URI url(Settings s, String name, String fallback) {
        Optional<String> value = s.get(name).or(() -> Optional.ofNullable(fallback));
        String text = value.orElseThrow(() -> new ConfigurationException(s.name(name), "is required"));
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(s.name(name), "must be an absolute http:// or https:// URL, was '"
                    + text + "'");
        }
    }

    private static Path path(Settings s, String name, String value) {
        try {
            return Path.of(value);
        } catch (RuntimeException e) {
            throw new ConfigurationException(s.name(name), "is not a valid path: '" + value + "'");
        }
    }

    /** Sizes in bytes with an optional unit: 1048576, 512k, 100m, 1g. */
    private static long size(Settings s, String name, long fallback) {
        return s.get(name).map(v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            long unit = 1;
            char last = lower.charAt(lower.length() - 1);
            if (last == 'k' || last == 'm' || last == 'g') {
                unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
                lower = lower.substring(0, lower.length() - 1);
            }
            long amount;
            try {
                amount = Long.parseLong(lower);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(s.name(name),
                        "must be a size in bytes (e.g. 1048576, 512k, 100m, 1g), was '" + v + "'");
            }
            if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
                throw new ConfigurationException(s.name(name), "must be a positive size, was '" + v + "'");
            }
            return amount * unit;
        }).orElse(fallback);
    }

    /** Durations as ISO-8601 (PT30S) or a number with s/m/h/d (30s, 5m, 2h, 30d); "never" where allowed. */
    private static Duration duration(Settings s, String name, Duration fallback, boolean neverAllowed) {
        Optional<String> value = s.get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        String v = value.get();
        String lower = v.toLowerCase(Locale.ROOT);
        if (neverAllowed && lower.equals("never")) {
            return null;
        }
        Duration parsed;
        try {
            if (lower.startsWith("p")) {
                parsed = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else {
                long amount = Long.parseLong(lower.substring(0, lower.length() - 1));
                parsed = switch (lower.charAt(lower.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    case 'd' -> Duration.ofDays(amount);
                    default -> throw new NumberFormatException(v);
                };
            }
        } catch (RuntimeException e) {
            throw new ConfigurationException(s.name(name), "must be a duration like 30s, 5m, 2h, 30d or PT30S"
                    + (neverAllowed ? " (or never)" : "") + ", was '" + v + "'");
        }
        return requirePositive(s, name, parsed, v);
    }

    private static Duration requirePositive(Settings s, String name, Duration d, String raw) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigurationException(s.name(name), "must be positive, was '" + raw + "'");
        }
        return d;
    }

    private static <T> T parse(Settings s, String name, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigurationException(s.name(name), "must be " + expected + ", was '" + value + "'");
        }
    }
}
