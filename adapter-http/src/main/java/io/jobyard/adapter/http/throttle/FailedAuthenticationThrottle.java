package io.jobyard.adapter.http.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, per client address, the different tokens it presented that matched nothing, and bans an address that
 * reaches the limit within the period (Rack::Attack's fail2ban, which GitLab puts in front of failed sign-ins). Only
 * different tokens count: a guessing client must vary its token, while a client stuck with one stale token (a runner
 * whose token was reset, a script with a deleted token) repeats it and bans nobody behind the same address.
 *
 * <p>The counts live in this process (GitLab keeps them in Redis): with several instances behind a load balancer a
 * client may guess up to the limit at each. Memory is bounded: when the table reaches {@link #MAX_TRACKED} addresses,
 * those without a current ban or window are dropped (see {@link #clearIdle}), and each keeps at most {@code limit}
 * fingerprints.
 */
public final class FailedAuthenticationThrottle {
    /** Addresses tracked before idle ones are cleared out; about 200 bytes each. */
    static final int MAX_TRACKED = 100_000;

    private final ThrottleSettings settings;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    /** A current ban: until when, and how many different guesses led to it. */
    public record Ban(Instant until, int observed) {
    }

    /** What a guess that was just refused means for its client. */
    public enum Verdict {
        /** Within the limit (or a token already counted): answer the refusal as usual. */
        COUNTED,
        /** The client is banned (by this guess, or already): refuse with 429. */
        BANNED
    }

    public FailedAuthenticationThrottle(ThrottleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public ThrottleSettings settings() {
        return settings;
    }

    /** The ban on {@code client} at {@code now}, if there is one. */
    public Optional<Ban> ban(String client, Instant now) {
        Client state = clients.get(client);
        return state == null ? Optional.empty() : state.ban(now);
    }

    /**
     * Records that {@code client} presented a token with digest {@code credential} that matched nothing. The guess that
     * reaches the limit is still answered as usual — the client has had exactly {@code limit} answers — and bans the
     * client; a guess that arrives banned (it was in flight when the ban began) is refused.
     */
    public Verdict guessed(String client, String credential, Instant now) {
        if (clients.size() >= MAX_TRACKED) {
            clearIdle(now);
        }
        return clients.computeIfAbsent(client, any -> new Client(settings.limit()))
                .guessed(fingerprint(credential), now, settings);
    }

    /** How many addresses are tracked now. */
    int tracked() {
        return clients.size();
    }

    /**
     * Makes room: idle addresses go first; if that frees less than a quarter of the table (many addresses guessing at
     * once), the partial counts go too and only the bans stay. A cleanup thus leaves room for many additions before
     * the next, so its scan of the table costs little per guess.
     */
    private void clearIdle(Instant now) {
        clients.entrySet().removeIf(entry -> entry.getValue().idle(now, settings.period()));
        if (clients.size() >= MAX_TRACKED * 3 / 4) {
            clients.entrySet().removeIf(entry -> entry.getValue().ban(now).isEmpty());
        }
    }

    /** The first 64 bits of the digest: enough to tell a client's few guesses apart. */
    private static long fingerprint(String digest) {
        if (digest.length() >= 16) {
            try {
                return HexFormat.fromHexDigits(digest, 0, 16);
            } catch (IllegalArgumentException notHex) {
                return digest.hashCode();
            }
        }
        return digest.hashCode();
    }

    /** One address: the current window's distinct guesses, and its ban. */
    private static final class Client {
        private final long[] seen;
        private int count;
        private Instant windowStart;
        private Instant bannedUntil;

        Client(int limit) {
            this.seen = new long[limit];
        }

        synchronized Optional<Ban> ban(Instant now) {
            if (bannedUntil != null && now.isBefore(bannedUntil)) {
                return Optional.of(new Ban(bannedUntil, count));
            }
            return Optional.empty();
        }

        synchronized Verdict guessed(long fingerprint, Instant now, ThrottleSettings settings) {
            if (bannedUntil != null) {
                if (now.isBefore(bannedUntil)) {
                    return Verdict.BANNED;
                }
                // The ban is over: the client starts afresh.
                bannedUntil = null;
                windowStart = null;
            }
            if (windowStart == null || !now.isBefore(windowStart.plus(settings.period()))) {
                windowStart = now;
                count = 0;
            }
            for (int i = 0; i < count; i++) {
                if (seen[i] == fingerprint) {
                    return Verdict.COUNTED;
                }
            }
            seen[count++] = fingerprint;
            if (count >= seen.length) {
                bannedUntil = now.plus(settings.ban());
            }
            return Verdict.COUNTED;
        }

        synchronized boolean idle(Instant now, Duration period) {
            boolean banned = bannedUntil != null && now.isBefore(bannedUntil);
            boolean counting = windowStart != null && now.isBefore(windowStart.plus(period));
            return !banned && !counting;
        }
    }
}
