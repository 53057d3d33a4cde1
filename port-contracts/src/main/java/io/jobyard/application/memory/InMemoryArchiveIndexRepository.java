package io.jobyard.application.memory;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Archive entry indexes in memory, ordered by (archive, path) as a database index would keep them; thread-safe and
 * transactional with its {@link InMemoryTransactor}, so a failed upload leaves no entries behind.
 */
public final class InMemoryArchiveIndexRepository implements ArchiveIndexRepository {
    private record EntryKey(ArtifactId archive, String path) {
    }

    /** Paths in code-point order, which is UTF-8 byte order: what the contract asks of every implementation. */
    private static final Comparator<String> CODE_POINT_ORDER = ArchiveEntry.PATH_ORDER;
    private static final Comparator<EntryKey> ORDER =
            Comparator.comparing(EntryKey::archive).thenComparing(EntryKey::path, CODE_POINT_ORDER);

    private final InMemoryTransactor transactor;
    private final Rows<EntryKey, ArchiveEntry> entries;

    public InMemoryArchiveIndexRepository() {
        this(new InMemoryTransactor());
    }

    public InMemoryArchiveIndexRepository(InMemoryTransactor transactor) {
        this.transactor = Objects.requireNonNull(transactor, "transactor");
        this.entries = new Rows<>(transactor, ORDER);
    }

    @Override
    public void saveEntries(ArtifactId archive, List<ArchiveEntry> list) {
        Objects.requireNonNull(archive, "archive");
        List<ArchiveEntry> copy = List.copyOf(list);
        transactor.locked(() -> {
            for (ArchiveEntry entry : copy) {
                entries.put(new EntryKey(archive, entry.path()), entry);
            }
        });
    }

    @Override
    public Optional<ArchiveEntry> findEntry(ArtifactId archive, String path) {
        return transactor.locked(() -> entries.get(new EntryKey(archive, path)));
    }

    @Override
    public List<ArchiveEntry> listRange(ArtifactId archive, String from, boolean fromInclusive, String to,
                                        int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return transactor.locked(() -> {
            EntryKey start = new EntryKey(archive, from == null ? "" : from);
            List<ArchiveEntry> page = new ArrayList<>();
            for (Map.Entry<EntryKey, ArchiveEntry> row
                    : entries.view().tailMap(start, from == null || fromInclusive).entrySet()) {
                if (page.size() >= limit || !row.getKey().archive().equals(archive)
                        || to != null && CODE_POINT_ORDER.compare(row.getKey().path(), to) >= 0) {
                    break;
                }
                page.add(row.getValue());
            }
            return page;
        });
    }

    @Override
    public List<ArchiveEntry> listEntries(ArtifactId archive, String afterPath, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        return transactor.locked(() -> {
            EntryKey from = new EntryKey(archive, afterPath == null ? "" : afterPath);
            List<ArchiveEntry> page = new ArrayList<>();
            for (Map.Entry<EntryKey, ArchiveEntry> row : entries.view().tailMap(from, afterPath == null).entrySet()) {
                if (page.size() >= limit || !row.getKey().archive().equals(archive)) {
                    break;
                }
                page.add(row.getValue());
            }
            return List.copyOf(page);
        });
    }

    @Override
    public void deleteEntries(ArtifactId archive) {
        transactor.locked(() -> {
            List<EntryKey> keys = entries.view()
                    .subMap(new EntryKey(archive, ""), true, new EntryKey(ArtifactId.of(archive.value() + 1), ""), false)
                    .keySet().stream().toList();
            keys.forEach(entries::remove);
        });
    }

    /** Test helper: how many entries are indexed, over all archives. */
    public int size() {
        return transactor.locked(() -> entries.all().size());
    }
}
