package io.jobyard.application.service.artifact;

import io.jobyard.application.memory.InMemoryArchiveIndexRepository;
import io.jobyard.application.port.in.artifact.ArtifactTree;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing a directory of an archive from its index: what a listing holds is checked against a listing computed from
 * the full path list, and paging (any page size, any glob) against the unpaged listing.
 */
class ArchiveTreeTest {
    private final InMemoryArchiveIndexRepository index = new InMemoryArchiveIndexRepository();
    private final ArtifactId archive = ArtifactId.of(1);

    private void store(List<String> paths) {
        List<ArchiveEntry> entries = new ArrayList<>();
        long offset = 0;
        for (String path : paths) {
            entries.add(new ArchiveEntry(path, offset++, ArchiveEntry.STORED, 1, 1, 0));
        }
        index.saveEntries(archive, entries);
    }

    private List<String> list(String directory, boolean recursive, String glob, int perPage) {
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100_000; pages++) {
            ArchiveTree.Page page = ArchiveTree.list(index, archive, directory, recursive, TreeGlob.of(glob), after,
                    perPage);
            assertThat(page.entries().size()).isLessThanOrEqualTo(perPage);
            page.entries().forEach(e -> seen.add(e.path() + (e.directory() ? "/" : "")));
            if (page.next() == null) {
                return seen;
            }
            after = page.next();
        }
        throw new AssertionError("the listing never ended");
    }

    /** The expected listing: every file and every directory (listed or not) under {@code directory}, in path order. */
    private static List<String> expected(List<String> paths, String directory, boolean recursive) {
        TreeSet<String> all = new TreeSet<>(ArchiveEntry.PATH_ORDER);
        for (String path : paths) {
            if (!path.startsWith(directory) || path.equals(directory)) {
                continue;
            }
            String rest = path.substring(directory.length());
            for (int slash = rest.indexOf('/'); slash >= 0; slash = rest.indexOf('/', slash + 1)) {
                all.add(directory + rest.substring(0, slash + 1));
                if (!recursive) {
                    break;
                }
            }
            if (recursive || rest.indexOf('/') < 0) {
                all.add(path);
            }
        }
        return new ArrayList<>(all);
    }

    @Test
    void randomArchivesListAsTheirPathsSayAtEveryPageSize() {
        Random random = new Random(17);
        for (int round = 0; round < 40; round++) {
            index.deleteEntries(archive);
            List<String> paths = new ArrayList<>();
            int count = 1 + random.nextInt(60);
            for (int i = 0; i < count; i++) {
                StringBuilder path = new StringBuilder();
                int depth = random.nextInt(4);
                for (int d = 0; d < depth; d++) {
                    path.append("abc.-".charAt(random.nextInt(5))).append(random.nextInt(3)).append('/');
                }
                path.append(random.nextBoolean() ? "" : "f" + random.nextInt(5) + ".txt");
                if (path.length() > 0 && !paths.contains(path.toString())) {
                    paths.add(path.toString());
                }
            }
            store(paths);
            List<String> directories = new ArrayList<>(List.of(""));
            expected(paths, "", true).stream().filter(p -> p.endsWith("/")).forEach(directories::add);
            for (String directory : directories) {
                for (boolean recursive : List.of(false, true)) {
                    List<String> whole = expected(paths, directory, recursive);
                    for (int perPage : List.of(1, 2, 3, 100)) {
                        assertThat(list(directory, recursive, null, perPage))
                                .as("%s under '%s' recursive=%s per page %d", paths, directory, recursive, perPage)
                                .containsExactlyElementsOf(whole);
                    }
                    List<String> txt = whole.stream().filter(p -> p.endsWith(".txt")).toList();
                    assertThat(list(directory, recursive, "**/*.txt", 2)).as("%s glob", paths)
                            .containsExactlyElementsOf(txt);
                }
            }
        }
    }

    @Test
    void aGlobThatSkipsMostRowsEndsPagesAtTheScanCapAndStillReachesTheEnd() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < ArchiveTree.SCAN_CAP * 2 + 5; i++) {
            paths.add(String.format("logs/%06d.log", i));
        }
        paths.add("logs/zz-report.xml");
        store(paths);

        ArchiveTree.Page first = ArchiveTree.list(index, archive, "", true, TreeGlob.of("**/*.xml"), null, 20);
        assertThat(first.entries()).isEmpty();
        assertThat(first.next()).as("a page that read its cap says where to go on").isNotNull();
        assertThat(list("", true, "**/*.xml", 20)).containsExactly("logs/zz-report.xml");
        assertThat(list("logs/", false, "*.xml", 20)).containsExactly("logs/zz-report.xml");
    }

    @Test
    void aDirectoryListsAsOneEntryHoweverMuchIsInside() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            paths.add("node_modules/p" + i + "/index.js");
        }
        paths.add("package.json");
        store(paths);
        List<ArtifactTree.Entry> root = ArchiveTree.list(index, archive, "", false, TreeGlob.ALL, null, 100)
                .entries();
        assertThat(root).extracting(ArtifactTree.Entry::path).containsExactly("node_modules", "package.json");
        assertThat(root.get(0).directory()).isTrue();
    }
}
