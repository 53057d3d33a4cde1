package io.jobyard.application.service.artifact;

import io.jobyard.application.port.in.artifact.ArtifactTree;
import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists a directory of an archive from its entry index, in path order ({@link ArchiveEntry#PATH_ORDER}), one page at
 * a time. Zips need not list their directories (gitlab-runner's do; many others only list files), so directories
 * are derived from the paths of what is inside them, and shown once, before their contents.
 *
 * <p>Everything rests on one property of that order: the paths inside directory {@code d/} are exactly those between
 * {@code d/} and {@code d0} (the next character after {@code /}). A directory's children are read by skipping from
 * one child directory to the next, without reading what lies inside each (one index range per child directory); a
 * recursive listing reads the range once, in order.
 *
 * <p>A page ends after {@code perPage} entries, or after {@link #SCAN_CAP} index rows when a glob skips most of them
 * (the page is then shorter, even empty, and still has a next one). The position a page ends at is a path: the next
 * page starts after it, and after everything inside it when it is a directory of a non-recursive listing.
 */
final class ArchiveTree {
    /** Index rows one page reads at most, whatever the glob. */
    static final int SCAN_CAP = 10_000;
    private static final int BATCH = 200;

    record Page(List<ArtifactTree.Entry> entries, String next) {
    }

    private final ArchiveIndexRepository index;
    private final ArtifactId archive;
    private final String directory;
    private final TreeGlob glob;
    private final int perPage;
    private final List<ArtifactTree.Entry> entries = new ArrayList<>();
    private String position;
    private int scanned;

    /** @param directory the listed directory: {@code ""} for the root, else a path ending in {@code /} */
    private ArchiveTree(ArchiveIndexRepository index, ArtifactId archive, String directory, TreeGlob glob,
                        String after, int perPage) {
        this.index = index;
        this.archive = archive;
        this.directory = directory;
        this.glob = glob;
        this.perPage = perPage;
        this.position = after;
    }

    static Page list(ArchiveIndexRepository index, ArtifactId archive, String directory, boolean recursive,
                     TreeGlob glob, String after, int perPage) {
        ArchiveTree tree = new ArchiveTree(index, archive, directory, glob, after, perPage);
        return recursive ? tree.recursive() : tree.children();
    }

    /** The first path after everything inside directory {@code d} (which ends in a slash). */
    static String after(String d) {
        return d.substring(0, d.length() - 1) + '0';
    }

    /** Whether {@code directory} holds anything, or is listed itself. */
    static boolean exists(ArchiveIndexRepository index, ArtifactId archive, String directory) {
        return directory.isEmpty() || !index.listRange(archive, directory, true, after(directory), 1).isEmpty();
    }

    private Page children() {
        String to = directory.isEmpty() ? null : after(directory);
        String from;
        boolean inclusive;
        if (position == null) {
            from = directory.isEmpty() ? null : directory;
            inclusive = true;
        } else if (position.endsWith("/")) {
            from = after(position);
            inclusive = true;
        } else {
            from = position;
            inclusive = false;
        }
        while (true) {
            List<ArchiveEntry> rows = index.listRange(archive, from, inclusive, to, BATCH);
            boolean jumped = false;
            for (ArchiveEntry row : rows) {
                scanned++;
                String path = row.path();
                from = path;
                inclusive = false;
                if (!path.equals(directory)) {
                    String rest = path.substring(directory.length());
                    int slash = rest.indexOf('/');
                    if (slash >= 0) {
                        String child = directory + rest.substring(0, slash + 1);
                        if (!offer(directoryEntry(child, path.equals(child) ? row : null), child)) {
                            return new Page(entries, position);
                        }
                        from = after(child);
                        inclusive = true;
                        jumped = true;
                    } else if (!offer(fileEntry(row), path)) {
                        return new Page(entries, position);
                    }
                }
                if (scanned >= SCAN_CAP) {
                    return new Page(entries, position);
                }
                if (jumped) {
                    break;
                }
            }
            if (!jumped && rows.size() < BATCH) {
                return new Page(entries, null);
            }
        }
    }

    private Page recursive() {
        String to = directory.isEmpty() ? null : after(directory);
        String from = position != null ? position : directory.isEmpty() ? null : directory;
        boolean inclusive = position == null;
        while (true) {
            List<ArchiveEntry> rows = index.listRange(archive, from, inclusive, to, BATCH);
            for (ArchiveEntry row : rows) {
                scanned++;
                String path = row.path();
                from = path;
                inclusive = false;
                if (!path.equals(directory)) {
                    // the directories on the way that no row of their own has shown yet
                    for (int slash = path.indexOf('/', directory.length()); slash >= 0 && slash < path.length() - 1;
                         slash = path.indexOf('/', slash + 1)) {
                        String ancestor = path.substring(0, slash + 1);
                        if (position == null || ArchiveEntry.PATH_ORDER.compare(ancestor, position) > 0) {
                            if (!offer(directoryEntry(ancestor, null), ancestor)) {
                                return new Page(entries, position);
                            }
                        }
                    }
                    ArtifactTree.Entry entry = path.endsWith("/") ? directoryEntry(path, row) : fileEntry(row);
                    if (!offer(entry, path)) {
                        return new Page(entries, position);
                    }
                }
                if (scanned >= SCAN_CAP) {
                    return new Page(entries, position);
                }
            }
            if (rows.size() < BATCH) {
                return new Page(entries, null);
            }
        }
    }

    /**
     * Takes {@code entry} (at {@code path}) onto the page if the glob lets it through and moves the position to it.
     *
     * @return false when the page was already full: the entry is left for the next page, the position stays
     */
    private boolean offer(ArtifactTree.Entry entry, String path) {
        if (glob.matches(entry.path().substring(Math.min(directory.length(), entry.path().length())))) {
            if (entries.size() == perPage) {
                return false;
            }
            entries.add(entry);
        }
        position = path;
        return true;
    }

    private static ArtifactTree.Entry fileEntry(ArchiveEntry row) {
        return new ArtifactTree.Entry(name(row.path()), row.path(), false, row.uncompressedSize(), row.mode(),
                row.crc32(), row.modifiedAt());
    }

    /** @param own the directory's own row in the index, or null when the archive does not list it */
    private static ArtifactTree.Entry directoryEntry(String path, ArchiveEntry own) {
        String bare = path.substring(0, path.length() - 1);
        return new ArtifactTree.Entry(name(bare), bare, true, null, own == null ? null : own.mode(), null,
                own == null ? null : own.modifiedAt());
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
