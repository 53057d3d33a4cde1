package io.jobyard.adapter.storage.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageKeysTest {
    @TempDir
    Path root;

    @Test
    void aRelativeKeyResolvesUnderTheRoot() {
        Path file = StorageKeys.resolve(root, "projects/12/jobs/345/artifacts/1/artifacts.zip");

        assertThat(file).isEqualTo(root.resolve("projects/12/jobs/345/artifacts/1/artifacts.zip"));
    }

    @Test
    void namesWithDotsThatAreNotTraversalAreFine() {
        assertThat(StorageKeys.resolve(root, "a/..b/c..d/.hidden/x.tar.gz"))
                .isEqualTo(root.resolve("a/..b/c..d/.hidden/x.tar.gz"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../etc/passwd", "a/../../b", "a/..", "/etc/passwd", "a//b", "a/./b", ".",
            "a/", "a\\..\\b", "a\u0000b", "a\nb"})
    void keysThatCouldEscapeOrAliasAreRefused(String key) {
        assertThatThrownBy(() -> StorageKeys.resolve(root, key)).isInstanceOf(IllegalArgumentException.class);
    }
}
