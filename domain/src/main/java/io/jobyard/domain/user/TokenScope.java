package io.jobyard.domain.user;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Personal access token scopes Jobyard honours: {@code api} may do everything, {@code read_api} only read. */
public enum TokenScope {
    API, READ_API;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TokenScope> fromWireName(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
