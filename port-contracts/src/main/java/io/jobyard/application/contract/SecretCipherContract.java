package io.jobyard.application.contract;

import io.jobyard.application.port.out.SecretCipher;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SecretCipher} that encrypts must do. Subclasses supply two ciphers under different keys.
 */
public abstract class SecretCipherContract {

    protected abstract SecretCipher cipher();

    /** A cipher under another key. */
    protected abstract SecretCipher otherKey();

    @Test
    void opensWhatItSealedAndNothingOfThePlaintextIsInTheSealedText() {
        String secret = "[{\"key\":\"DEPLOY_PASSWORD\",\"value\":\"hunter2-s3cr3t-\u00e9\uD83D\uDE00\"}]";
        String sealed = cipher().seal(secret, "jobs.variables/1");

        assertThat(cipher().open(sealed, "jobs.variables/1")).isEqualTo(secret);
        assertThat(sealed).doesNotContain("hunter2").doesNotContain("DEPLOY_PASSWORD").doesNotContain("\n")
                .doesNotStartWith("[").doesNotStartWith("{");
        assertThat(sealed).contains(cipher().keyId());
    }

    @Test
    void sealingTheSameValueTwiceGivesDifferentText() {
        Set<String> sealed = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            sealed.add(cipher().seal("same", "ctx"));
        }
        assertThat(sealed).hasSize(20);
    }

    @Test
    void anotherKeyCannotOpenAndSaysWhichKeyItNeeds() {
        String sealed = cipher().seal("secret", "jobs.variables/1");

        assertThat(otherKey().keyId()).isNotEqualTo(cipher().keyId());
        assertThatThrownBy(() -> otherKey().open(sealed, "jobs.variables/1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(cipher().keyId());
    }

    @Test
    void anotherContextOrAnAlteredValueDoesNotOpen() {
        String sealed = cipher().seal("secret value", "jobs.variables/1");

        assertThatThrownBy(() -> cipher().open(sealed, "jobs.variables/2")).isInstanceOf(IllegalStateException.class);
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);
        assertThatThrownBy(() -> cipher().open(altered, "jobs.variables/1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher().open("garbage", "jobs.variables/1"))
                .isInstanceOf(IllegalStateException.class);
    }
}
