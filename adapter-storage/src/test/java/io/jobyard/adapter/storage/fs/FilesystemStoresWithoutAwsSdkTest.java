package io.jobyard.adapter.storage.fs;

import io.jobyard.application.port.out.ArtifactStore;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS SDK is an optional dependency of this module: a filesystem-only application does not have it. Proves that
 * the filesystem stores work on a class path of just this module, application and domain, where the S3 store cannot
 * even load.
 */
class FilesystemStoresWithoutAwsSdkTest {
    @TempDir
    Path directory;

    @Test
    void theFilesystemStoresRunWithoutTheAwsSdkOnTheClassPath() throws Exception {
        try (URLClassLoader withoutAws = new URLClassLoader(new URL[] {
                locationOf(FilesystemArtifactStore.class), locationOf(ArtifactStore.class), locationOf(JobId.class)},
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("io.jobyard.adapter.storage.s3.S3ArtifactStore", true, withoutAws)
                    .getMethods()).as("the class path really lacks the SDK").isInstanceOf(NoClassDefFoundError.class);

            Class<?> artifactStoreClass = withoutAws.loadClass(FilesystemArtifactStore.class.getName());
            Object artifacts = artifactStoreClass.getConstructor(Path.class).newInstance(directory.resolve("a"));
            Object staged = artifactStoreClass.getMethod("stage", InputStream.class, long.class)
                    .invoke(artifacts, new ByteArrayInputStream(new byte[] {1, 2, 3}), 10L);
            Method publish = artifactStoreClass.getMethod("publish", staged.getClass(), String.class);
            publish.invoke(artifacts, staged, "projects/1/a.zip");
            assertThat(artifactStoreClass.getMethod("size", String.class).invoke(artifacts, "projects/1/a.zip"))
                    .isEqualTo(Optional.of(3L));

            Class<?> traceStoreClass = withoutAws.loadClass(FilesystemTraceStore.class.getName());
            Class<?> jobIdClass = withoutAws.loadClass(JobId.class.getName());
            Object traces = traceStoreClass.getConstructor(Path.class).newInstance(directory.resolve("t"));
            Object job = jobIdClass.getMethod("of", long.class).invoke(null, 7L);
            Object length = traceStoreClass.getMethod("append", jobIdClass, long.class, InputStream.class, long.class)
                    .invoke(traces, job, 0L, new ByteArrayInputStream(new byte[] {1, 2}), 100L);
            assertThat(length).isEqualTo(2L);
        }
    }

    private static URL locationOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
