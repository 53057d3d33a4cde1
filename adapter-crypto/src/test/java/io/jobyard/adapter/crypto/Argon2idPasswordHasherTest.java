package io.jobyard.adapter.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Argon2idPasswordHasherTest {
    /**
     * Made with the reference implementation (Debian's {@code argon2} 20171227):
     * {@code echo -n "correct horse battery staple" | argon2 "jobyard-salt-16b" -id -t 2 -k 19456 -p 1 -l 32 -e}.
     */
    private static final String OWASP_VECTOR = "$argon2id$v=19$m=19456,t=2,p=1$am9ieWFyZC1zYWx0LTE2Yg"
            + "$D+KBwmgnf5V1VP6myfzMni1oIHB2Nxj9sqtnrJF6lFA";
    /** {@code echo -n "pässwörd 🔑" | argon2 "0123456789abcdef" -id -t 1 -m 12 -p 2 -l 32 -e}: UTF-8, two lanes. */
    private static final String UNICODE_VECTOR = "$argon2id$v=19$m=4096,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg"
            + "$Rsoehd96rph5DtwT7EXrNK8mwU5TJlRd9Wg9sVYUcVs";

    private final Argon2idPasswordHasher hasher = new Argon2idPasswordHasher();

    @Test
    void verifiesHashesMadeByTheReferenceImplementation() {
        assertThat(hasher.verify("correct horse battery staple", OWASP_VECTOR)).isTrue();
        assertThat(hasher.verify("pässwörd 🔑", UNICODE_VECTOR)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", OWASP_VECTOR)).isFalse();
        assertThat(hasher.verify("passwörd 🔑", UNICODE_VECTOR)).isFalse();
    }

    @Test
    void aNewHashIsAPhcStringWithTheOwaspParametersAFreshSaltAndVerifies() {
        String first = hasher.hash("correct horse battery staple");
        String second = hasher.hash("correct horse battery staple");

        assertThat(first).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(first).isNotEqualTo(second).doesNotContain("correct");
        assertThat(hasher.verify("correct horse battery staple", first)).isTrue();
        assertThat(hasher.verify("correct horse battery staple", second)).isTrue();
        assertThat(hasher.verify("Correct horse battery staple", first)).isFalse();
    }

    @Test
    void hashesWithOtherParametersVerifyAndAskToBeReplaced() {
        assertThat(hasher.needsRehash(OWASP_VECTOR)).isFalse();
        assertThat(hasher.needsRehash(UNICODE_VECTOR)).isTrue();
        assertThat(hasher.needsRehash("not a hash")).isTrue();
        Argon2idPasswordHasher cheap = new Argon2idPasswordHasher(
                new Argon2idPasswordHasher.Parameters(64, 1, 1, 16, 32));
        assertThat(cheap.needsRehash(hasher.hash("x"))).isTrue();
        assertThat(hasher.verify("secret99", cheap.hash("secret99"))).isTrue();
    }

    @Test
    void malformedOrTamperedStoredHashesNeverVerifyAndNeverThrow() {
        String tamperedHash = OWASP_VECTOR.substring(0, OWASP_VECTOR.length() - 2) + "AA";
        String tamperedSalt = OWASP_VECTOR.replace("am9ieWFyZC1zYWx0LTE2Yg", "am9ieWFyZC1zYWx0LTE2Zw");
        for (String stored : new String[] {"", "$argon2i$v=19$m=19456,t=2,p=1$am9ieWFyZC1zYWx0LTE2Yg$D+KBwmgnf5V1VP6myf"
                + "zMni1oIHB2Nxj9sqtnrJF6lFA", "$argon2id$v=19$m=99999999,t=2,p=1$am9ieWFyZC1zYWx0LTE2Yg$D+KBwmgnf5V1V"
                + "P6myfzMni1oIHB2Nxj9sqtnrJF6lFA", "$argon2id$v=19$m=0,t=0,p=0$x$y", tamperedHash, tamperedSalt,
                "$2a$10$abcdefghijklmnopqrstuu5Zp4dhSM3pVGmuG0yXvNYoaSdYFY6L6"}) {
            assertThat(hasher.verify("correct horse battery staple", stored)).as(stored).isFalse();
        }
        assertThat(hasher.verify(null, OWASP_VECTOR)).isFalse();
        assertThat(hasher.verify("x", null)).isFalse();
    }
}
