package io.jobyard.adapter.storage.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how to reach an S3-compatible object store.
 *
 * @param endpoint           the service URL, e.g. {@code http://minio:9000}; {@code null} for AWS's own endpoint of
 *                           {@code region}
 * @param region             the signing region (MinIO and Ceph accept {@code us-east-1})
 * @param bucket             the bucket holding the artifacts; it must exist (see
 *                           {@link S3ArtifactStore#createBucketIfMissing()})
 * @param pathStyle          {@code http://host/bucket/key} rather than {@code http://bucket.host/key}; what MinIO,
 *                           Ceph and most self-hosted stores need
 * @param credentials        a static key pair; {@code null} for the SDK's default chain (environment, profile,
 *                           instance role...)
 * @param stagingDirectory   local directory uploads are streamed to (and checked in) before they are sent
 * @param multipartThreshold uploads of at least this many bytes go up in parts
 * @param partSize           the size of each part (S3 requires at least 5 MiB for all but the last)
 */
public record S3Settings(URI endpoint, String region, String bucket, boolean pathStyle, Credentials credentials,
                         Path stagingDirectory, long multipartThreshold, long partSize) {

    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE = 64L * 1024 * 1024;

    public S3Settings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(stagingDirectory, "stagingDirectory");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 parts must be at least " + MIN_PART_SIZE + " bytes");
        }
        if (multipartThreshold < 1) {
            throw new IllegalArgumentException("multipartThreshold must be positive");
        }
    }

    /** Settings for a self-hosted store (path-style, static keys, default multipart sizes). */
    public static S3Settings of(URI endpoint, String region, String bucket, String accessKeyId,
                                String secretAccessKey, Path stagingDirectory) {
        return new S3Settings(endpoint, region, bucket, true, new Credentials(accessKeyId, secretAccessKey),
                stagingDirectory, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE);
    }

    public S3Settings withPathStyle(boolean usePathStyle) {
        return new S3Settings(endpoint, region, bucket, usePathStyle, credentials, stagingDirectory,
                multipartThreshold, partSize);
    }

    public S3Settings withMultipart(long threshold, long size) {
        return new S3Settings(endpoint, region, bucket, pathStyle, credentials, stagingDirectory, threshold, size);
    }

    /** A static access key pair. Its {@code toString} hides the secret, so settings can be logged. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        public Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }
}
