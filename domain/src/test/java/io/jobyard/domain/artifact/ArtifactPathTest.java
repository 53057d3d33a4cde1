package io.jobyard.domain.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A path inside an artifact archive cannot exist if it could escape the archive root (architecture: values). */
class ArtifactPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc/passwd", "a/../b", "a/..", "a/b/../../..", "./..", "a//../b"})
    void refusesParentSegments(String path) {
        assertThatThrownBy(() -> new ArtifactPath(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("escapes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "//server/share", "C:/Windows", "c:file"})
    void refusesAbsolutePaths(String path) {
        assertThatThrownBy(() -> new ArtifactPath(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\b", "..\\..\\x", "\\abs", "dir\\"})
    void refusesBackslashes(String path) {
        assertThatThrownBy(() -> new ArtifactPath(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backslash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b", "\0", "file.txt\0.png"})
    void refusesNul(String path) {
        assertThatThrownBy(() -> new ArtifactPath(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void refusesEmptyAndOverlongPaths() {
        assertThatThrownBy(() -> new ArtifactPath("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArtifactPath(null)).isInstanceOf(NullPointerException.class);
        assertThat(new ArtifactPath("a".repeat(ArtifactPath.MAX_LENGTH)).value()).hasSize(ArtifactPath.MAX_LENGTH);
        assertThatThrownBy(() -> new ArtifactPath("a".repeat(ArtifactPath.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "a\uDC00b", "x/\uD83D", "\uDE00\uD83D"})
    void refusesLoneSurrogates(String path) {
        assertThatThrownBy(() -> new ArtifactPath(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void fromUtf8RefusesInvalidBytesInsteadOfReplacingThem() {
        assertInvalidUtf8(new byte[] {'a', (byte) 0xFF, 'b'});
        assertInvalidUtf8(new byte[] {(byte) 0xC3, (byte) 0x28});          // broken two-byte sequence
        assertInvalidUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF});          // overlong "/"
        assertInvalidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // encoded surrogate
        assertInvalidUtf8(new byte[] {'a', (byte) 0xE2, (byte) 0x82});     // truncated sequence
    }

    private static void assertInvalidUtf8(byte[] bytes) {
        assertThatThrownBy(() -> ArtifactPath.fromUtf8(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void fromUtf8DecodesValidUnicode() {
        String name = "résultats/日本語/emoji-😀.txt";
        assertThat(ArtifactPath.fromUtf8(name.getBytes(StandardCharsets.UTF_8)).value()).isEqualTo(name);
    }

    @Test
    void fromUtf8StillAppliesThePathRules() {
        assertThatThrownBy(() -> ArtifactPath.fromUtf8("../x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "..a", "a..", "...", "dir/.../f", "a/..b/c", ".hidden", "./a", "ünïcödé.txt",
            "日本/語.txt", "😀", "nested/deeply/in/many/dirs/file.tar.gz", "with space/and-dash_underscore",
            "dir/", "ab:c", "x/c:d"})
    void acceptsOrdinaryNames(String path) {
        assertThat(new ArtifactPath(path).value()).isEqualTo(path);
        assertThat(new ArtifactPath(path)).hasToString(path);
    }

    @Test
    void basenameAndDirectories() {
        assertThat(new ArtifactPath("a/b/c.txt").basename()).isEqualTo("c.txt");
        assertThat(new ArtifactPath("c.txt").basename()).isEqualTo("c.txt");
        assertThat(new ArtifactPath("a/b/").basename()).isEqualTo("b");
        assertThat(new ArtifactPath("a/b/").isDirectory()).isTrue();
        assertThat(new ArtifactPath("a/b").isDirectory()).isFalse();
    }

    @Test
    void equalPathsAreEqualValues() {
        assertThat(new ArtifactPath("a/b")).isEqualTo(new ArtifactPath("a/b")).isNotEqualTo(new ArtifactPath("a/c"));
    }
}
