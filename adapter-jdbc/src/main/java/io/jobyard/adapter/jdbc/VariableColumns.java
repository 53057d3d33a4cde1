package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.domain.job.JobVariable;

import java.util.List;
import java.util.Objects;

/**
 * The {@code variables} columns of pipelines and jobs, sealed with the {@link SecretCipher}: the database holds no
 * variable in plaintext, and a sealed value is bound to its row ({@code jobs.variables/42}), so one copied to another
 * row does not open there. No variables at all is stored as {@code []}, which tells nothing. Plaintext (an encoded list,
 * beginning with {@code [}) is still read: rows written before encryption, until {@link VariableEncryption} seals them.
 */
final class VariableColumns {
    private static final String NONE = "[]";

    private final SecretCipher cipher;

    VariableColumns(SecretCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    SecretCipher cipher() {
        return cipher;
    }

    static String context(String table, long id) {
        return table + ".variables/" + id;
    }

    String encode(List<JobVariable> variables, String table, long id) {
        if (variables.isEmpty()) {
            return NONE;
        }
        return seal(ColumnCodecs.variables(variables), table, id);
    }

    /** Seals an encoded list (the conversion of rows written before encryption). */
    String seal(String encoded, String table, long id) {
        if (encoded.equals(NONE)) {
            return NONE;
        }
        return cipher.seal(encoded, context(table, id));
    }

    List<JobVariable> decode(String stored, String table, long id) {
        if (isPlaintext(stored)) {
            return ColumnCodecs.variables(stored);
        }
        try {
            return ColumnCodecs.variables(cipher.open(stored, context(table, id)));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the variables of " + table + " row " + id + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    static boolean isPlaintext(String stored) {
        return stored.startsWith("[");
    }
}
