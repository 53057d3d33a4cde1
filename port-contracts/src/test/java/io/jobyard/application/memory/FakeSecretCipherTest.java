package io.jobyard.application.memory;

import io.jobyard.application.contract.SecretCipherContract;
import io.jobyard.application.port.out.SecretCipher;

class FakeSecretCipherTest extends SecretCipherContract {
    private final SecretCipher cipher = new FakeSecretCipher("test-key-1");
    private final SecretCipher other = new FakeSecretCipher("test-key-2");

    @Override
    protected SecretCipher cipher() {
        return cipher;
    }

    @Override
    protected SecretCipher otherKey() {
        return other;
    }
}
