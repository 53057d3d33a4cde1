package io.jobyard.examples.host;

import java.util.Map;
import java.util.Optional;

/**
 * The host's own identities: API keys it issued, each naming one of its users. A real host has its own user store,
 * single sign-on or session cookies; what matters to Jobyard is only that it can tell who is calling.
 */
public final class HostAccounts {
    private final Map<String, String> usernameByKey;

    /** @param usernameByKey API key → username */
    public HostAccounts(Map<String, String> usernameByKey) {
        this.usernameByKey = Map.copyOf(usernameByKey);
    }

    /** Who holds {@code apiKey}, if anyone. */
    public Optional<String> username(String apiKey) {
        return apiKey == null ? Optional.empty() : Optional.ofNullable(usernameByKey.get(apiKey));
    }

    /** Every username the host knows, to give each a Jobyard user. */
    public java.util.Collection<String> usernames() {
        return usernameByKey.values();
    }
}
