package io.jobyard.adapter.storage.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/**
 * Builds SDK clients from {@link S3Settings}, with the settings every S3-compatible store accepts. Public so that an
 * embedder (or a test) can start from the same builder and add an HTTP client wrapper, metrics or interceptors.
 */
public final class S3Clients {
    private S3Clients() {
    }

    /**
     * A client builder configured for {@code settings}. Checksums are only computed and validated where an operation
     * requires them: SDK 2.30+ sends CRC "flexible checksums" on every upload by default, which S3Proxy, older MinIO
     * and Ceph reject ("x-amz-content-sha256 header does not match"); the object's SHA-256 is checked by us anyway.
     */
    public static S3ClientBuilder clientBuilder(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(httpClientBuilder());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }

    /**
     * The HTTP client the store uses: Apache HttpClient 5, which streams request bodies of known length (the JDK-based
     * url-connection client buffers a whole upload part in memory). A caller may wrap it, e.g.
     * {@code builder.httpClientBuilder(defaults -> wrap(httpClientBuilder().buildWithDefaults(defaults)))}.
     */
    public static Apache5HttpClient.Builder httpClientBuilder() {
        return Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .maxConnections(64);
    }

    /** A presigner that produces URLs for the same endpoint, addressing style and credentials as the client. */
    public static S3Presigner presigner(S3Settings settings) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        S3Settings.Credentials credentials = settings.credentials();
        if (credentials == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
    }
}
