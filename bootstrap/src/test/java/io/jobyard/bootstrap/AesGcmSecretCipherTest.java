package io.jobyard.bootstrap;

import io.jobyard.application.contract.SecretCipherContract;
import io.jobyard.application.port.out.SecretCipher;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesGcmSecretCipherTest extends SecretCipherContract {
    private static final byte[] KEY = key(1);
    private final SecretCipher cipher = new AesGcmSecretCipher(KEY);
    private final SecretCipher other = new AesGcmSecretCipher(key(2));

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Override
    protected SecretCipher cipher() {
        return cipher;
    }

    @Override
    protected SecretCipher otherKey() {
        return other;
    }

    @Test
    void theKeyIdNamesTheKeyWithoutRevealingItAndTheFormatIsVersioned() {
        assertThat(cipher.keyId()).hasSize(16).matches("[0-9a-f]+").isEqualTo(AesGcmSecretCipher.keyIdOf(KEY));
        assertThat(new AesGcmSecretCipher(key(1)).keyId()).isEqualTo(cipher.keyId());
        assertThat(cipher.seal("x", "c")).startsWith("jy1:" + cipher.keyId() + ":");
    }

    @Test
    void aKeyMustHave32Bytes() {
        assertThatThrownBy(() -> new AesGcmSecretCipher(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
