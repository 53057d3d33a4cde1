package io.jobyard.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The variables' key file: generated once, owner-only, read back the same; a bad key is refused clearly. */
class EncryptionKeysTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartGeneratesAnOwnerOnlyKeyFileThatLaterStartsRead() throws Exception {
        Path file = dir.resolve("data/encryption.key");

        byte[] key = EncryptionKeys.loadOrCreate(file);

        assertThat(key).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).isEqualTo(key);
        assertThat(EncryptionKeys.loadOrCreate(file)).isEqualTo(key);
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("encryption.key");
        }
    }

    @Test
    void aKeyFileWithoutAValidKeyIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("encryption.key");
        Files.writeString(file, "not a key");

        assertThatThrownBy(() -> EncryptionKeys.loadOrCreate(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("32 bytes in base64");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> EncryptionKeys.loadOrCreate(file)).hasMessageContaining("was 16 bytes");
    }

    @Test
    void aGivenKeyIsBase64Of32Bytes() {
        byte[] key = new byte[32];
        key[0] = 7;
        assertThat(EncryptionKeys.decode(Base64.getEncoder().encodeToString(key) + "\n")).isEqualTo(key);
        assertThatThrownBy(() -> EncryptionKeys.decode("!!")).hasMessageContaining("openssl rand -base64 32");
    }
}
