package io.jobyard.application.port.out;

/**
 * Encrypts secrets Jobyard stores (pipeline and job variables) under a key the database does not hold, with an
 * authenticated cipher: a value read back is the value written, or reading fails. GitLab encrypts its CI variables at
 * rest too. The JDBC adapter seals the variables columns with it; the key and the cipher are the host's
 * (the standalone server: AES-256-GCM under a key from its configuration or its data directory).
 *
 * <p>A sealed value names the key it was sealed under ({@link #keyId()}), so keys can be rotated later: values under an
 * older key stay readable while its key is still configured.
 */
public interface SecretCipher {

    /**
     * Stores text unencrypted: for tools and tests that need no secrecy. {@link #open} refuses sealed values, which
     * cannot be read without their key.
     */
    SecretCipher PLAINTEXT = new SecretCipher() {
        @Override
        public String keyId() {
            return null;
        }

        @Override
        public String seal(String plaintext, String context) {
            return plaintext;
        }

        @Override
        public String open(String sealed, String context) {
            throw new IllegalStateException("a value is encrypted, but no encryption key is configured");
        }
    };

    /** The id of the key new values are sealed under; null when nothing is encrypted. */
    String keyId();

    /**
     * @param context where the value is stored ({@code jobs.variables/42}): authenticated with it, not stored, so a
     *                sealed value copied to another row does not open there
     * @return printable text (no line breaks), never beginning with {@code [} or <code>&#123;</code>
     */
    String seal(String plaintext, String context);

    /**
     * @throws IllegalStateException naming the key, when the value was sealed under a key not configured here, with a
     *                               different context, or was altered
     */
    String open(String sealed, String context);
}
