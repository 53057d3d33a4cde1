package io.jobyard.bootstrap;

import io.jobyard.adapter.http.throttle.ThrottleSettings;
import io.jobyard.domain.user.TokenLifetime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationTest {

    @Test
    void defaultsAreTheEmbeddedSetup() {
        Configuration c = Configuration.from(Map.of());

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.externalUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.dbUrl()).startsWith("jdbc:h2:file:").endsWith("data/db/jobyard;WRITE_DELAY=0");
        assertThat(c.storage()).isEqualTo("filesystem");
        assertThat(c.s3()).isNull();
        assertThat(c.artifactDefaultExpiry()).isEqualTo(Duration.ofDays(30));
        assertThat(c.maxArtifactSize()).isEqualTo(1L << 30);
        assertThat(c.runnerLongPoll()).as("off, as without Workhorse").isZero();
        assertThat(c.orphanGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(c.tokenLifetime()).isEqualTo(TokenLifetime.DEFAULT);
        assertThat(c.authThrottle()).as("on, with GitLab's limits").isEqualTo(ThrottleSettings.DEFAULTS);
        assertThat(c.authThrottle().trustedProxies().isEmpty()).isTrue();
        assertThat(c.pipelineLimits()).as("GitLab.com's 2,000 jobs, GitLab's 2 MiB and 100 levels")
                .isEqualTo(new io.jobyard.application.service.pipeline.PipelineLimits(2000, 2L << 20, 100));
        assertThat(c.eventRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.webhookTimeout()).as("GitLab's webhook_timeout").isEqualTo(Duration.ofSeconds(10));
        assertThat(c.webhookRetryDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.changeFeedDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void tokenLifetimeAndTheAuthenticationThrottle() throws Exception {
        assertThat(Configuration.from(Map.of("JOBYARD_TOKEN_MAX_LIFETIME", "30d")).tokenLifetime())
                .isEqualTo(new TokenLifetime(30));
        assertThat(Configuration.from(Map.of("JOBYARD_TOKEN_MAX_LIFETIME", "never")).tokenLifetime())
                .isEqualTo(TokenLifetime.UNLIMITED);
        assertThat(Configuration.from(Map.of("JOBYARD_AUTH_THROTTLE", "false")).authThrottle()).isNull();
        Configuration c = Configuration.from(Map.of("JOBYARD_AUTH_THROTTLE_LIMIT", "5",
                "JOBYARD_AUTH_THROTTLE_PERIOD", "5m", "JOBYARD_AUTH_THROTTLE_BAN", "10m",
                "JOBYARD_TRUSTED_PROXIES", "10.0.0.0/8, ::1"));
        assertThat(c.authThrottle().limit()).isEqualTo(5);
        assertThat(c.authThrottle().period()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.authThrottle().ban()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.authThrottle().trustedProxies().contains(java.net.InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(c.authThrottle().trustedProxies().contains(java.net.InetAddress.getByName("::1"))).isTrue();
        assertThat(c.authThrottle().trustedProxies().contains(java.net.InetAddress.getByName("11.1.2.3"))).isFalse();
    }

    @Test
    void readsTheEncryptionKeyAndTheMetricsRestrictionsAndNeverPrintsSecrets() {
        Configuration defaults = Configuration.from(Map.of("JOBYARD_DATA_DIR", "/var/lib/jobyard"));
        assertThat(defaults.encryptionKey()).isNull();
        assertThat(defaults.encryptionKeyFile()).isEqualTo(Path.of("/var/lib/jobyard/encryption.key"));
        assertThat(defaults.metricsToken()).isNull();
        assertThat(defaults.metricsPort()).as("metrics on the API's listener").isNull();
        assertThat(defaults.metricsBind()).isEqualTo("127.0.0.1");

        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Configuration c = Configuration.from(Map.of("JOBYARD_ENCRYPTION_KEY", key,
                "JOBYARD_ENCRYPTION_KEY_FILE", "/etc/jobyard/key", "JOBYARD_METRICS_TOKEN", "scrape-token-0123456789",
                "JOBYARD_METRICS_PORT", "9100", "JOBYARD_METRICS_BIND", "10.0.0.5"));
        assertThat(c.encryptionKey()).isEqualTo(key);
        assertThat(c.encryptionKeyFile()).isEqualTo(Path.of("/etc/jobyard/key"));
        assertThat(c.metricsPort()).isEqualTo(9100);
        assertThat(c.metricsBind()).isEqualTo("10.0.0.5");
        assertThat(c.toString()).doesNotContain(key).doesNotContain("scrape-token-0123456789");

        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_ENCRYPTION_KEY", "c2hvcnQ=")))
                .hasMessage("JOBYARD_ENCRYPTION_KEY: must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`),"
                        + " was 5 bytes");
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_METRICS_TOKEN", "short")))
                .hasMessage("JOBYARD_METRICS_TOKEN: must be at least 16 printable characters without spaces");
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_METRICS_PORT", "http")))
                .hasMessageStartingWith("JOBYARD_METRICS_PORT: must be a whole number from 0 to 65535");
    }

    @Test
    void readsThePipelineLimits() {
        Configuration c = Configuration.from(Map.of("JOBYARD_MAX_PIPELINE_JOBS", "500",
                "JOBYARD_MAX_CI_CONFIG_SIZE", "4m", "JOBYARD_MAX_CI_CONFIG_DEPTH", "50"));
        assertThat(c.pipelineLimits()).isEqualTo(new io.jobyard.application.service.pipeline.PipelineLimits(500, 4L << 20,
                50));
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_MAX_PIPELINE_JOBS", "0")))
                .hasMessage("JOBYARD_MAX_PIPELINE_JOBS: must be a whole number from 1 to 1000000, was 0");
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_MAX_CI_CONFIG_SIZE", "huge")))
                .hasMessageStartingWith("JOBYARD_MAX_CI_CONFIG_SIZE: must be a size in bytes");
    }

    @Test
    void readsEveryKindOfValue() {
        Configuration c = Configuration.from(Map.of(
                "JOBYARD_PORT", "9090",
                "JOBYARD_EXTERNAL_URL", "https://ci.example.com/gitlab",
                "JOBYARD_MAX_ARTIFACT_SIZE", "512m",
                "JOBYARD_ARTIFACT_DEFAULT_EXPIRY", "never",
                "JOBYARD_SHUTDOWN_GRACE", "PT45S",
                "JOBYARD_STORAGE", "S3",
                "JOBYARD_S3_ENDPOINT", "http://127.0.0.1:9000",
                "JOBYARD_S3_BUCKET", "artifacts",
                "JOBYARD_S3_ACCESS_KEY", "access",
                "JOBYARD_S3_SECRET_KEY", "secret"));

        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.externalUrl().getPath()).isEqualTo("/gitlab");
        assertThat(c.maxArtifactSize()).isEqualTo(512L << 20);
        assertThat(c.artifactDefaultExpiry()).isNull();
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(Configuration.from(Map.of("JOBYARD_RUNNER_LONG_POLL", "50s")).runnerLongPoll())
                .isEqualTo(Duration.ofSeconds(50));
        assertThat(Configuration.from(Map.of("JOBYARD_RUNNER_LONG_POLL", "0")).runnerLongPoll()).isZero();
        assertThat(Configuration.from(Map.of("JOBYARD_ORPHAN_GRACE", "6h")).orphanGrace())
                .isEqualTo(Duration.ofHours(6));
        assertThat(Configuration.from(Map.of("JOBYARD_CHANGE_FEED_DELAY", "30s")).changeFeedDelay())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(Configuration.from(Map.of("JOBYARD_CHANGE_FEED_DELAY", "0")).changeFeedDelay()).isZero();
        Configuration events = Configuration.from(Map.of("JOBYARD_EVENT_RETENTION", "2d",
                "JOBYARD_WEBHOOK_TIMEOUT", "3s", "JOBYARD_WEBHOOK_RETRY_DELAY", "1m"));
        assertThat(events.eventRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(events.webhookTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(events.webhookRetryDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.s3().bucket()).isEqualTo("artifacts");
        assertThat(c.s3().pathStyle()).isTrue();
    }

    @Test
    void theWarmupBeforeReadinessLastsAtMostNinetySecondsByDefaultAndZeroTurnsItOff() {
        String suiteDefault = System.clearProperty("jobyard.warmup");
        try {
            assertThat(Configuration.from(Map.of()).warmup()).isEqualTo(Duration.ofSeconds(90));
            System.setProperty("jobyard.warmup", "2.5");
            assertThat(Configuration.from(Map.of()).warmup()).isEqualTo(Duration.ofMillis(2500));
        } finally {
            if (suiteDefault == null) {
                System.clearProperty("jobyard.warmup");
            } else {
                System.setProperty("jobyard.warmup", suiteDefault);
            }
        }
        assertThat(Configuration.from(Map.of("JOBYARD_WARMUP", "30s")).warmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Configuration.from(Map.of("JOBYARD_WARMUP", "0")).warmup()).isZero();
        assertThat(Configuration.from(Map.of("JOBYARD_WARMUP", "0s")).warmup()).isZero();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            JOBYARD_PORT                    | abc          | JOBYARD_PORT: must be a whole number from 0 to 65535, was 'abc'
            JOBYARD_PORT                    | 70000        | JOBYARD_PORT: must be a whole number from 0 to 65535, was 70000
            JOBYARD_BIND                    | not a host   | JOBYARD_BIND: must be a host name or IP address, was 'not a host'
            JOBYARD_EXTERNAL_URL            | ftp://x      | JOBYARD_EXTERNAL_URL: must be an absolute http:// or https:// URL, was 'ftp://x'
            JOBYARD_EXTERNAL_URL            | localhost    | JOBYARD_EXTERNAL_URL: must be an absolute http:// or https:// URL, was 'localhost'
            JOBYARD_DB_URL                  | jdbc:mysql:x | JOBYARD_DB_URL: must be a jdbc:h2: or jdbc:postgresql: URL, was 'jdbc:mysql:x'
            JOBYARD_DB_POOL_SIZE            | 0            | JOBYARD_DB_POOL_SIZE: must be a whole number from 1 to 1000, was 0
            JOBYARD_STORAGE                 | tape         | JOBYARD_STORAGE: must be 'filesystem' or 's3', was 'tape'
            JOBYARD_MAX_ARTIFACT_SIZE       | big          | JOBYARD_MAX_ARTIFACT_SIZE: must be a size in bytes (e.g. 1048576, 512k, 100m, 1g), was 'big'
            JOBYARD_MAX_LOG_SIZE            | -5m          | JOBYARD_MAX_LOG_SIZE: must be a positive size, was '-5m'
            JOBYARD_ARTIFACT_DEFAULT_EXPIRY | soon         | JOBYARD_ARTIFACT_DEFAULT_EXPIRY: must be a duration like 30s, 5m, 2h, 30d or PT30S (or never), was 'soon'
            JOBYARD_SWEEP_INTERVAL          | never        | JOBYARD_SWEEP_INTERVAL: must be a duration like 30s, 5m, 2h, 30d or PT30S, was 'never'
            JOBYARD_SHUTDOWN_GRACE          | 0s           | JOBYARD_SHUTDOWN_GRACE: must be positive, was '0s'
            JOBYARD_ORPHAN_GRACE            | 0m           | JOBYARD_ORPHAN_GRACE: must be positive, was '0m'
            JOBYARD_ORPHAN_GRACE            | never        | JOBYARD_ORPHAN_GRACE: must be a duration like 30s, 5m, 2h, 30d or PT30S, was 'never'
            JOBYARD_CHANGE_FEED_DELAY       | later        | JOBYARD_CHANGE_FEED_DELAY: must be a duration like 30s, 5m, 2h, 30d or PT30S, was 'later'
            JOBYARD_WARMUP                  | a while      | JOBYARD_WARMUP: must be a duration like 30s, 5m, 2h, 30d or PT30S, was 'a while'
            JOBYARD_WEBHOOK_TIMEOUT         | 0s           | JOBYARD_WEBHOOK_TIMEOUT: must be positive, was '0s'
            JOBYARD_EVENT_RETENTION         | never        | JOBYARD_EVENT_RETENTION: must be a duration like 30s, 5m, 2h, 30d or PT30S, was 'never'
            JOBYARD_RUNNER_LONG_POLL        | soon         | JOBYARD_RUNNER_LONG_POLL: must be a duration like 30s, 5m, 2h, 30d or PT30S, was 'soon'
            JOBYARD_LOG_LEVEL               | LOUD         | JOBYARD_LOG_LEVEL: must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, was 'LOUD'
            JOBYARD_ADMIN_TOKEN             | short        | JOBYARD_ADMIN_TOKEN: must be at least 20 characters of letters, digits, '-' and '_'
            JOBYARD_TOKEN_MAX_LIFETIME      | 12h          | JOBYARD_TOKEN_MAX_LIFETIME: must be whole days from 1d to 36500d (or never), was '12h'
            JOBYARD_TOKEN_MAX_LIFETIME      | forever      | JOBYARD_TOKEN_MAX_LIFETIME: must be a duration like 30s, 5m, 2h, 30d or PT30S (or never), was 'forever'
            JOBYARD_AUTH_THROTTLE           | maybe        | JOBYARD_AUTH_THROTTLE: must be true or false, was 'maybe'
            JOBYARD_AUTH_THROTTLE_LIMIT     | 0            | JOBYARD_AUTH_THROTTLE_LIMIT: must be a whole number from 1 to 10000, was 0
            JOBYARD_AUTH_THROTTLE_BAN       | 0s           | JOBYARD_AUTH_THROTTLE_BAN: must be positive, was '0s'
            JOBYARD_TRUSTED_PROXIES         | proxy.local  | JOBYARD_TRUSTED_PROXIES: must be IP addresses or CIDR blocks separated by commas (not an IP address or CIDR block: proxy.local)
            """)
    void aBadSettingIsOneLineThatNamesIt(String setting, String value, String message) {
        assertThatThrownBy(() -> Configuration.from(Map.of(setting, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void httpTimeoutsAndTheConnectionCapAreAtLeastAsStrictAsNginxByDefault() {
        Configuration c = Configuration.from(Map.of());

        // NGINX in front of GitLab: client_header_timeout and client_body_timeout 60 s, keepalive_timeout 75 s
        assertThat(c.httpHeaderTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpBodyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpBodyIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpKeepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxConnections()).isEqualTo(4096);
        assertThat(c.serverLimits()).isEqualTo(new JobyardServer.Limits(Duration.ofSeconds(30),
                Duration.ofSeconds(60), 4096));

        Configuration set = Configuration.from(Map.of("JOBYARD_HTTP_HEADER_TIMEOUT", "5s",
                "JOBYARD_HTTP_BODY_TIMEOUT", "PT10S", "JOBYARD_HTTP_BODY_IDLE_TIMEOUT", "2m",
                "JOBYARD_HTTP_KEEP_ALIVE_TIMEOUT", "15s", "JOBYARD_MAX_CONNECTIONS", "100"));
        assertThat(set.serverLimits()).isEqualTo(new JobyardServer.Limits(Duration.ofSeconds(5),
                Duration.ofSeconds(15), 100));
        assertThat(set.httpBodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(set.httpBodyIdleTimeout()).isEqualTo(Duration.ofMinutes(2));

        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_HTTP_BODY_TIMEOUT", "2d")))
                .hasMessage("JOBYARD_HTTP_BODY_TIMEOUT: must be from 1 ms to 1 day, was '2d'");
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_HTTP_HEADER_TIMEOUT", "0s")))
                .hasMessageStartingWith("JOBYARD_HTTP_HEADER_TIMEOUT: must be positive");
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_MAX_CONNECTIONS", "0")))
                .hasMessage("JOBYARD_MAX_CONNECTIONS: must be a whole number from 1 to 1000000, was 0");
    }

    @Test
    void liveLogFollowsHaveGitLabsHeartbeatAndABoundPerFollower() {
        Configuration defaults = Configuration.from(Map.of());
        Configuration set = Configuration.from(Map.of("JOBYARD_LIVE_LOG_HEARTBEAT", "30s",
                "JOBYARD_LIVE_LOG_POLL_INTERVAL", "PT0.25S", "JOBYARD_LIVE_LOG_MAX_PENDING", "1m",
                "JOBYARD_LIVE_LOG_THREADS", "4"));

        assertThat(defaults.liveLog()).isEqualTo(io.jobyard.application.service.live.LiveLogSettings.DEFAULTS);
        assertThat(defaults.liveLog().heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(set.liveLog().heartbeat()).isEqualTo(Duration.ofSeconds(30));
        assertThat(set.liveLog().pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(set.liveLog().maxPendingBytes()).isEqualTo(1L << 20);
        assertThat(set.liveLog().threads()).isEqualTo(4);
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_LIVE_LOG_MAX_PENDING", "64k")))
                .hasMessage("JOBYARD_LIVE_LOG_MAX_PENDING: must be at least 128k, was '64k'");
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_LIVE_LOG_THREADS", "0")))
                .hasMessageStartingWith("JOBYARD_LIVE_LOG_THREADS: must be a whole number from 1 to 64");
    }

    @Test
    void logArchivingRunsOnTwoThreadsByDefaultAndZeroLeavesItToOtherInstances() {
        Configuration defaults = Configuration.from(Map.of());
        Configuration set = Configuration.from(Map.of("JOBYARD_TRACE_ARCHIVE_THREADS", "0",
                "JOBYARD_TRACE_ARCHIVE_RETRY_DELAY", "1h", "JOBYARD_TRACE_ARCHIVE_LEASE", "2m"));

        assertThat(defaults.traceArchiving())
                .isEqualTo(io.jobyard.application.service.trace.TraceArchiveSettings.DEFAULTS);
        assertThat(defaults.traceArchiving().threads()).isEqualTo(2);
        assertThat(set.traceArchiving().threads()).isZero();
        assertThat(set.traceArchiving().firstRetry()).isEqualTo(Duration.ofHours(1));
        assertThat(set.traceArchiving().maxRetry()).as("at least the first delay").isEqualTo(Duration.ofHours(1));
        assertThat(set.traceArchiving().lease()).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_TRACE_ARCHIVE_THREADS", "-1")))
                .hasMessageStartingWith("JOBYARD_TRACE_ARCHIVE_THREADS: must be a whole number from 0 to 64");
    }

    @Test
    void webSessionsLastAWeekIdleAndAMonthAtMostByDefault() {
        Configuration defaults = Configuration.from(Map.of());
        Configuration set = Configuration.from(Map.of("JOBYARD_SESSION_IDLE_TIMEOUT", "8h",
                "JOBYARD_SESSION_MAX_AGE", "2d"));

        assertThat(defaults.sessions().idleTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.sessions().maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(set.sessions().idleTimeout()).isEqualTo(Duration.ofHours(8));
        assertThat(set.sessions().maxAge()).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_SESSION_MAX_AGE", "0s")))
                .hasMessage("JOBYARD_SESSION_MAX_AGE: must be positive, was '0s'");
    }

    @Test
    void s3NeedsItsBucketAndKeys() {
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_STORAGE", "s3",
                "JOBYARD_S3_ENDPOINT", "http://127.0.0.1:9000")))
                .hasMessage("JOBYARD_S3_BUCKET: is required when JOBYARD_STORAGE is s3");
    }

    @Test
    void aPropertiesFileIsReadAndTheEnvironmentWins(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("jobyard.properties");
        Files.writeString(file, "port=7000\ndb_pool_size=3\n");
        Map<String, String> env = new HashMap<>();
        env.put("JOBYARD_CONFIG_FILE", file.toString());
        env.put("JOBYARD_PORT", "7001");

        Configuration c = Configuration.from(env);

        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.dbPoolSize()).isEqualTo(3);
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> Configuration.from(Map.of("JOBYARD_CONFIG_FILE", dir.resolve("missing").toString())))
                .hasMessageStartingWith("JOBYARD_CONFIG_FILE: cannot read");
    }

    @Test
    void secretsStayOutOfItsDescription() {
        Configuration c = Configuration.from(Map.of("JOBYARD_ADMIN_TOKEN", "admin-secret-0123456789abc",
                "JOBYARD_DB_PASSWORD", "db-secret"));

        assertThat(c.toString()).doesNotContain("admin-secret").doesNotContain("db-secret");
    }
}
