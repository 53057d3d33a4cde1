package io.jobyard.adapter.storage.s3;

import io.jobyard.adapter.storage.fs.StagingArea;
import io.jobyard.adapter.storage.fs.StorageKeys;
import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.application.port.out.StagedBlob;
import io.jobyard.application.port.out.StoredBlob;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.UnavailableException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Artifacts in an S3-compatible bucket, one object per key.
 *
 * <p>Uploads are staged on local disk first ({@link StagingArea}): the caller checks size, digest and zip structure
 * there, and only a publish sends the bytes, with one PutObject, or a multipart upload from
 * {@link S3Settings#multipartThreshold()} on. Either way S3 shows the object only once the upload completes, so a
 * reader never sees a partial artifact; a crashed multipart upload leaves invisible parts that
 * {@link #cleanupStaging} aborts at the next start.
 *
 * <p>Reads are one ranged GetObject each: the total size comes from the response's {@code Content-Range}, never from
 * a HEAD first. Only a read that S3 cannot express as a satisfiable range (zero bytes, or starting at the very end)
 * costs a second request.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
    private static final int MAX_PARTS = 10_000;
    private static final int RANGE_NOT_SATISFIABLE = 416;
    private static final int NOT_FOUND = 404;
    /** S3's own maximum (and default) page of a listing. */
    static final int LIST_PAGE_SIZE = 1000;

    private final S3Settings settings;
    private final S3Client client;
    private final S3Presigner presigner;
    private final StagingArea staging;
    private final Clock clock;
    private final int listPageSize;

    /** A store with its own SDK client and presigner, built from {@code settings}; {@link #close()} closes them. */
    public static S3ArtifactStore create(S3Settings settings) {
        return new S3ArtifactStore(settings, S3Clients.clientBuilder(settings).build(), S3Clients.presigner(settings),
                Clock.systemUTC());
    }

    /** A store on clients the caller built (e.g. from {@link S3Clients}, with extra interceptors). */
    public S3ArtifactStore(S3Settings settings, S3Client client, S3Presigner presigner, Clock clock) {
        this(settings, client, presigner, clock, LIST_PAGE_SIZE);
    }

    /** With listings fetched {@code listPageSize} keys per request (tests page through a few objects). */
    S3ArtifactStore(S3Settings settings, S3Client client, S3Presigner presigner, Clock clock, int listPageSize) {
        if (listPageSize < 1 || listPageSize > LIST_PAGE_SIZE) {
            throw new IllegalArgumentException("a listing page holds 1 to " + LIST_PAGE_SIZE + " keys");
        }
        this.listPageSize = listPageSize;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Not fsynced: a staged file only matters until it is uploaded, and a crash before that discards it anyway.
        this.staging = new StagingArea(settings.stagingDirectory(), false, clock);
    }

    /** Creates the bucket unless it exists; for development and tests (production buckets are provisioned). */
    public void createBucketIfMissing() {
        try {
            client.headBucket(b -> b.bucket(settings.bucket()));
        } catch (NoSuchBucketException e) {
            try {
                client.createBucket(b -> b.bucket(settings.bucket()));
            } catch (BucketAlreadyOwnedByYouException raced) {
                // Another instance created it between our HEAD and CREATE: it exists, which is all we wanted.
            }
        } catch (SdkException e) {
            throw translate("checking bucket " + settings.bucket(), e);
        }
    }

    @Override
    public StagedBlob stage(InputStream content, long maxBytes) {
        return staging.stage(content, maxBytes);
    }

    @Override
    public BlobContent readStaged(StagedBlob staged, ByteRange range) {
        return staging.read(staged, range);
    }

    @Override
    public void publish(StagedBlob staged, String key) {
        StorageKeys.requireValid(key);
        Path file = staging.existingFile(staged);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat the staged upload " + file, e);
        }
        try {
            if (size < settings.multipartThreshold()) {
                client.putObject(b -> b.bucket(settings.bucket()).key(key).contentLength(size), RequestBody.fromFile(file));
            } else {
                uploadInParts(file, size, key);
            }
        } catch (SdkException e) {
            throw translate("uploading " + key, e);
        }
        staging.discard(staged);
    }

    private void uploadInParts(Path file, long size, String key) {
        String uploadId = client.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key)).uploadId();
        try {
            // S3 allows at most 10,000 parts: very large uploads get larger parts.
            long partSize = Math.max(settings.partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long offset = 0; offset < size; offset += partSize, partNumber++) {
                long length = Math.min(partSize, size - offset);
                int number = partNumber;
                try (FilePartStreams body = new FilePartStreams(file, offset, length)) {
                    String eTag = client.uploadPart(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                                    .partNumber(number).contentLength(length),
                            RequestBody.fromContentProvider(body, length, "application/octet-stream")).eTag();
                    parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                }
            }
            client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException | Error e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                // The parts stay invisible either way; cleanupStaging aborts the upload later.
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    @Override
    public void discard(StagedBlob staged) {
        staging.discard(staged);
    }

    @Override
    public BlobContent read(String key, ByteRange range) {
        StorageKeys.requireValid(key);
        if (range.length() == 0) {
            return emptyReadAt(key, range.offset(), size(key).orElseThrow(() -> NotFoundException.plain("File")));
        }
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(key);
        boolean wholeObject = range.offset() == 0 && range.length() == ByteRange.TO_END;
        if (!wholeObject) {
            String last = range.length() == ByteRange.TO_END ? "" : Long.toString(range.offset() + range.length() - 1);
            request.range("bytes=" + range.offset() + "-" + last);
        }
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = client.getObject(request.build());
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                throw NotFoundException.plain("File");
            }
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                return emptyReadAt(key, range.offset(), totalSizeAfter416(key, e));
            }
            throw translate("reading " + key, e);
        } catch (SdkException e) {
            throw translate("reading " + key, e);
        }
        GetObjectResponse response = body.response();
        long length = response.contentLength();
        Optional<ContentRange> contentRange = ContentRange.parse(response.contentRange());
        if (contentRange.isPresent()) {
            return new BlobContent(new ObjectBodyStream(body, length, false), contentRange.get().total(),
                    contentRange.get().first(), length);
        }
        if (wholeObject) {
            return new BlobContent(new ObjectBodyStream(body, length, false), length, 0, length);
        }
        return rangeOfWholeBody(body, length, range);
    }

    /** A zero-length read at {@code offset}: fine at the very end of the blob, 416 past it. */
    private static BlobContent emptyReadAt(String key, long offset, long totalSize) {
        if (offset > totalSize) {
            throw new RangeNotSatisfiableException(totalSize);
        }
        return new BlobContent(InputStream.nullInputStream(), totalSize, offset, 0);
    }

    /** S3 sends {@code Content-Range: bytes *}{@code /size} with a 416; stores that do not get asked. */
    private long totalSizeAfter416(String key, S3Exception e) {
        Optional<String> header = e.awsErrorDetails() == null ? Optional.empty()
                : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Content-Range");
        return header.flatMap(ContentRange::unsatisfiedTotal)
                .orElseGet(() -> size(key).orElseThrow(() -> NotFoundException.plain("File")));
    }

    /** A store that ignored our Range header and sent the whole object: skip to the range, cut after it. */
    private static BlobContent rangeOfWholeBody(ResponseInputStream<GetObjectResponse> body, long totalSize,
                                                ByteRange range) {
        try {
            if (range.offset() > totalSize) {
                body.abort();
                throw new RangeNotSatisfiableException(totalSize);
            }
            body.skipNBytes(range.offset());
        } catch (IOException e) {
            body.abort();
            throw new UncheckedIOException("reading an object body failed", e);
        }
        long length = range.lengthWithin(totalSize);
        InputStream limited = new ObjectBodyStream(body, length, range.offset() + length < totalSize);
        return new BlobContent(limited, totalSize, range.offset(), length);
    }

    @Override
    public Optional<Long> size(String key) {
        StorageKeys.requireValid(key);
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(settings.bucket()).key(key));
            return Optional.of(head.contentLength());
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw translate("reading the size of " + key, e);
        } catch (SdkException e) {
            throw translate("reading the size of " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        StorageKeys.requireValid(key);
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw translate("deleting " + key, e);
        }
    }

    /**
     * One paginated ListObjectsV2 walk of the prefix: each page is requested only when the previous one has been
     * consumed, so a bucket of millions of keys is listed in constant memory. {@code LastModified} is when the
     * object's upload began (for a multipart upload, when it was created), which is what {@link StoredBlob} asks
     * for. Failures while paging surface as they would from any other call ({@link UnavailableException} when the
     * store is down).
     */
    @Override
    public Stream<StoredBlob> listBlobs(String keyPrefix, Instant modifiedBefore) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(modifiedBefore, "modifiedBefore");
        Iterator<S3Object> objects;
        try {
            objects = client.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(keyPrefix)
                    .maxKeys(listPageSize)).contents().iterator();
        } catch (SdkException e) {
            throw translate("listing " + keyPrefix, e);
        }
        Iterator<S3Object> translated = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return objects.hasNext();
                } catch (SdkException e) {
                    throw translate("listing " + keyPrefix, e);
                }
            }

            @Override
            public S3Object next() {
                try {
                    return objects.next();
                } catch (SdkException e) {
                    throw translate("listing " + keyPrefix, e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(translated,
                        Spliterator.ORDERED | Spliterator.NONNULL), false)
                .filter(object -> StorageKeys.isValid(object.key()))
                .filter(object -> object.lastModified() != null && object.lastModified().isBefore(modifiedBefore))
                .map(object -> new StoredBlob(object.key(), object.size() == null ? 0 : object.size(),
                        object.lastModified()));
    }

    /**
     * Removes local staging files and aborts multipart uploads (in this bucket) started more than {@code olderThan}
     * ago: both are what a crash during an upload leaves behind.
     */
    @Override
    public int cleanupStaging(Duration olderThan) {
        int removed = staging.cleanup(olderThan);
        Instant cutoff = clock.instant().minus(olderThan);
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(b -> b.bucket(settings.bucket()))
                    .uploads()) {
                if (upload.initiated() != null && !upload.initiated().isAfter(cutoff)) {
                    client.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(upload.key())
                            .uploadId(upload.uploadId()));
                    removed++;
                }
            }
        } catch (SdkException e) {
            throw translate("cleaning up multipart uploads", e);
        }
        return removed;
    }

    @Override
    public Optional<URI> presignedUrl(String key, Duration validFor, String downloadFilename) {
        StorageKeys.requireValid(key);
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(key)
                            .responseContentDisposition(ContentDisposition.attachment(downloadFilename))))
                    .url().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK produced an invalid presigned URL", e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            presigner.close();
        }
    }

    /** Connection failures and server errors are "try again later"; anything else is a bug or a misconfiguration. */
    private static RuntimeException translate(String action, SdkException e) {
        if (e instanceof SdkClientException
                || (e instanceof S3Exception s3 && (s3.statusCode() >= 500 || s3.statusCode() == 429))) {
            return new UnavailableException("object storage unavailable while " + action, e);
        }
        return e;
    }
}
