package io.jobyard.application.service;

import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.auth.AccessChecks;
import io.jobyard.application.port.out.AccessVersions;
import io.jobyard.application.port.out.ProjectRepository.ProjectWithRole;
import io.jobyard.application.port.out.UserRepository.TokenWithOwner;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tokens with their owners, users, and projects with the caller's role, kept between requests for as long as the
 * {@linkplain AccessVersions access version} is the one they were read under: every request that uses them first
 * {@linkplain #check() reads the version} (one primary-key statement), and every write that can change what they hold
 * changes the version in its own transaction. So a revoked or rotated token, a blocked, deactivated or deleted user, a
 * removed or demoted member and a project made private lose their access on the very next request, on every instance
 * sharing the database, while a busy token costs one statement instead of three or four.
 *
 * <p>Why it is exact: an entry is stored with the version this instance had seen <em>before</em> it read the rows, so
 * its rows are at least as new as that version; an entry is used only while its version is the newest this instance
 * has seen ({@link #check()} only ever raises it). A request that checks after a change committed therefore sees
 * the change's version (or a newer one) and ignores everything read before it. Missing rows are not remembered (a new
 * token or member needs no version change to be found), and tokens are keyed by their digest, never the token.
 *
 * <p>Bounded: a table that reaches its capacity is emptied (the entries are cheap to read again; a table holds the
 * live tokens, users and project-user pairs of a working set far smaller than the default).
 *
 * <p>One read per request: inside a {@linkplain #beginRequest() request}, the check after the first one takes the
 * first one's version instead of reading it again (authentication checks, then the project's gate), and every later
 * check reads. The request is then as exact as one that read the version once, at its beginning: what it uses was
 * read under that version or later (entries stay tied to the newest version this instance has seen, so a version
 * another request saw meanwhile only makes this one read rows afresh).
 */
public final class AccessCache {
    /** Entries per table. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** Nothing checked yet: nothing is stored or used. */
    private static final long UNCHECKED = Long.MIN_VALUE;

    private final AccessVersions versions;
    private final AtomicLong checked = new AtomicLong(UNCHECKED);
    private final Table<String, TokenWithOwner> tokens;
    private final Table<ProjectKey, ProjectWithRole> projects;
    private final Table<UserId, User> users;
    /** The request begun on each thread, if any. */
    private final ThreadLocal<RequestCheck> request = new ThreadLocal<>();

    public AccessCache(AccessVersions versions) {
        this(versions, DEFAULT_CAPACITY);
    }

    public AccessCache(AccessVersions versions, int capacity) {
        this.versions = Objects.requireNonNull(versions, "versions");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        tokens = new Table<>(capacity);
        projects = new Table<>(capacity);
        users = new Table<>(capacity);
    }

    /** A cache that keeps nothing: every check sees a new version. For tests that build a service or two by hand. */
    public static AccessCache off() {
        AtomicLong counter = new AtomicLong();
        return new AccessCache(counter::incrementAndGet, 1);
    }

    /**
     * Reads the access version; entries read under an older one are not used any more. Call it at the start of each
     * request, before the lookups below. Inside a {@linkplain #beginRequest() request}, the second call takes the
     * first one's version without reading.
     *
     * @return the version read
     */
    public long check() {
        RequestCheck current = request.get();
        if (current != null && current.state == RequestCheck.State.READ) {
            current.state = RequestCheck.State.REUSED;
            return current.version;
        }
        long now = versions.current();
        if (current != null && current.state == RequestCheck.State.NONE) {
            current.state = RequestCheck.State.READ;
            current.version = now;
        }
        long before = checked.getAndAccumulate(now, Math::max);
        if (now > before && before != UNCHECKED) {
            // Everything stored is stale now: drop it rather than keep dead entries until the bound clears them.
            tokens.clear();
            projects.clear();
            users.clear();
        }
        return now;
    }

    /** Begins a request on the calling thread ({@link AccessChecks#beginRequest}); closing the result ends it. */
    public AccessChecks.Request beginRequest() {
        RequestCheck outer = request.get();
        RequestCheck begun = new RequestCheck();
        request.set(begun);
        return () -> {
            if (request.get() == begun) {
                if (outer == null) {
                    request.remove();
                } else {
                    request.set(outer);
                }
            }
        };
    }

    /** The token whose digest is {@code digest}, with its owner; read by {@code load} when not kept. */
    public Optional<TokenWithOwner> token(String digest, Function<String, Optional<TokenWithOwner>> load) {
        return tokens.get(digest, () -> load.apply(digest));
    }

    /**
     * Keeps {@code updated} (the same token with, say, its new {@code last_used_at}) in place of the kept entry, if
     * one is kept under the current version; a use recorded is no access change and changes no version.
     */
    public void replaceToken(String digest, TokenWithOwner updated) {
        tokens.replace(digest, updated);
    }

    /** The project {@code ref} names, with {@code user}'s role in it (null for anonymous); read by {@code load}. */
    public Optional<ProjectWithRole> project(ProjectRef ref, UserId user, Supplier<Optional<ProjectWithRole>> load) {
        return projects.get(new ProjectKey(ref, user), load);
    }

    /** The users of {@code ids} that exist; the ones not kept are read by {@code load}, all in one call. */
    public Map<UserId, User> users(Collection<UserId> ids, Function<Set<UserId>, Map<UserId, User>> load) {
        long version = checked.get();
        Map<UserId, User> found = new HashMap<>();
        Set<UserId> missing = new LinkedHashSet<>();
        for (UserId id : ids) {
            User kept = users.kept(id, version);
            if (kept != null) {
                found.put(id, kept);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<UserId, User> loaded = load.apply(missing);
            loaded.forEach((id, user) -> users.put(id, version, user));
            found.putAll(loaded);
        }
        return found;
    }

    /** A request's version: not read yet, read once, or read and taken once more (every later check reads). */
    private static final class RequestCheck {
        enum State { NONE, READ, REUSED }

        State state = State.NONE;
        long version;
    }

    private record ProjectKey(ProjectRef ref, UserId user) {
    }

    private record Entry<V>(long version, V value) {
    }

    /** One kind of entry; only entries of the newest version checked are used. */
    private final class Table<K, V> {
        private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
        private final int capacity;

        Table(int capacity) {
            this.capacity = capacity;
        }

        Optional<V> get(K key, Supplier<Optional<V>> load) {
            // The version before the rows are read: what is read next is at least as new as it.
            long version = checked.get();
            V kept = kept(key, version);
            if (kept != null) {
                return Optional.of(kept);
            }
            Optional<V> loaded = load.get();
            loaded.ifPresent(value -> put(key, version, value));
            return loaded;
        }

        V kept(K key, long version) {
            Entry<V> entry = version == UNCHECKED ? null : entries.get(key);
            return entry != null && entry.version() == version ? entry.value() : null;
        }

        void put(K key, long version, V value) {
            if (version == UNCHECKED || version != checked.get()) {
                return;
            }
            if (entries.size() >= capacity) {
                entries.clear();
            }
            entries.put(key, new Entry<>(version, value));
        }

        void replace(K key, V value) {
            long version = checked.get();
            entries.computeIfPresent(key, (k, entry) -> entry.version() == version ? new Entry<>(version, value)
                    : entry);
        }

        void clear() {
            entries.clear();
        }
    }
}
