package io.jobyard.bootstrap;

import io.jobyard.adapter.storage.s3.S3ArtifactStore;
import io.jobyard.adapter.storage.s3.S3Settings;
import io.jobyard.application.port.out.ArtifactStore;

import java.net.URI;
import java.nio.file.Path;

/** Builds the object-storage artifact store from the standalone configuration. */
final class StorageFactory {
    private StorageFactory() {
    }

    /** @param stagingDirectory local directory uploads are streamed to and checked in before they are sent */
    static ArtifactStore s3(Configuration.S3 s3, Path stagingDirectory) {
        S3Settings settings = S3Settings.of(URI.create(s3.endpoint()), s3.region(), s3.bucket(), s3.accessKey(),
                s3.secretKey(), stagingDirectory).withPathStyle(s3.pathStyle());
        return S3ArtifactStore.create(settings);
    }
}
