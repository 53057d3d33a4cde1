package io.jobyard.adapter.jdbc;

import java.util.Locale;

/**
 * Search text as a case-insensitive {@code LIKE '%text%'} pattern whose own {@code %} and {@code _} are plain
 * characters: a user searching for {@code 100%} finds that text, not everything. Statements use {@code ESCAPE '!'},
 * which H2 and PostgreSQL read alike (a backslash would depend on PostgreSQL's string settings).
 */
final class LikePatterns {
    static final String ESCAPE = " ESCAPE '!'";

    private LikePatterns() {
    }

    static String containing(String text) {
        String escaped = text.toLowerCase(Locale.ROOT)
                .replace("!", "!!")
                .replace("%", "!%")
                .replace("_", "!_");
        return "%" + escaped + "%";
    }
}
