package io.jobyard.application.contract;

import io.jobyard.application.port.out.ArchiveIndexRepository;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ArchiveIndexRepository} must do: keep every field of every entry exactly (ZIP64 sizes and offsets,
 * unsigned CRCs, non-ASCII names), find an entry by its exact path, list an archive's entries in code-point order of
 * their paths — which is UTF-8 byte order, e.g. {@code COLLATE "C"} in PostgreSQL, never a locale collation, so keyset
 * pages neither skip nor repeat — and take part in transactions.
 *
 * <p>An adapter test supplies {@link #repositories()} (as for the other repository contracts) and an index repository
 * over the same store. Entries are saved for archive artifacts that exist, as a foreign key may require.
 */
public abstract class ArchiveIndexRepositoryContract extends RepositoryContract {

    protected ArchiveIndexRepository index;

    /** The index repository over the same store (and transactor) as {@code repos}. */
    protected abstract ArchiveIndexRepository archiveIndex(Repositories repos);

    @BeforeEach
    void openIndex() {
        index = archiveIndex(repos);
    }

    /** A stored archive artifact (with its project, pipeline and job) to hang entries on. */
    private ArtifactId archive() {
        Project project = data.project("p" + TestData.unique());
        Pipeline pipeline = data.pipeline(project, "main", JobStatus.SUCCESS);
        Job job = data.job(pipeline, "build", JobStatus.SUCCESS);
        return data.artifact(job, ArtifactFileType.ARCHIVE).id();
    }

    private static ArchiveEntry stored(String path, long offset, long size) {
        return new ArchiveEntry(path, offset, ArchiveEntry.STORED, size, size, 0x1234_5678L);
    }

    private static ArchiveEntry deflated(String path, long offset, long compressed, long size, long crc) {
        return new ArchiveEntry(path, offset, ArchiveEntry.DEFLATED, compressed, size, crc);
    }

    @Test
    void everyFieldOfEveryEntryIsKept() {
        ArtifactId archive = archive();
        List<ArchiveEntry> entries = List.of(
                stored("README.md", 30 + 9, 1200),
                new ArchiveEntry("bin/", 1300, ArchiveEntry.STORED, 0, 0, 0),
                deflated("bin/app", 1400, 50_000, 180_000, 0xFFFF_FFFFL),
                deflated("données/résumé.txt", 60_000, 10, 12, 0x8000_0000L),
                stored("日本語/ファイル.txt", 70_000, 3),
                stored("📦/box.bin", 80_000, 4),
                deflated("huge/disk.img", 6L * 1024 * 1024 * 1024, 5L * 1024 * 1024 * 1024,
                        40L * 1024 * 1024 * 1024, 1L),
                new ArchiveEntry("bin/run.sh", 90_000, ArchiveEntry.STORED, 5, 5, 7L, 0100755,
                        java.time.Instant.parse("2024-05-01T10:00:02Z")),
                new ArchiveEntry("etc/", 91_000, ArchiveEntry.STORED, 0, 0, 0, 040755, null));

        index.saveEntries(archive, entries);

        for (ArchiveEntry entry : entries) {
            assertThat(index.findEntry(archive, entry.path())).as(entry.path()).contains(entry);
        }
    }

    @Test
    void rangesListTheEntriesUnderADirectoryFromAPosition() {
        ArtifactId archive = archive();
        ArtifactId other = archive();
        index.saveEntries(archive, List.of(stored("a.txt", 1, 1), stored("b/", 2, 0), stored("b/c.txt", 3, 1),
                stored("b/d/e.txt", 4, 1), stored("b.txt", 5, 1), stored("b0", 6, 1), stored("c", 7, 1)));
        index.saveEntries(other, List.of(stored("b/zzz", 1, 1)));

        assertThat(paths(index.listRange(archive, "b/", true, "b0", 10)))
                .containsExactly("b/", "b/c.txt", "b/d/e.txt");
        assertThat(paths(index.listRange(archive, "b/", false, "b0", 10))).containsExactly("b/c.txt", "b/d/e.txt");
        assertThat(paths(index.listRange(archive, "b/c.txt", false, "b0", 1))).containsExactly("b/d/e.txt");
        assertThat(paths(index.listRange(archive, "b0", true, null, 10))).containsExactly("b0", "c");
        assertThat(paths(index.listRange(archive, null, true, "b", 10))).containsExactly("a.txt");
        assertThat(paths(index.listRange(archive, null, false, null, 3))).containsExactly("a.txt", "b.txt", "b/");
    }

    private static List<String> paths(List<ArchiveEntry> entries) {
        return entries.stream().map(ArchiveEntry::path).toList();
    }

    @Test
    void lookupIsByExactPath() {
        ArtifactId archive = archive();
        index.saveEntries(archive, List.of(stored("docs/README.md", 100, 10), stored("docs/", 50, 0)));

        assertThat(index.findEntry(archive, "docs/README.md")).isPresent();
        assertThat(index.findEntry(archive, "docs/readme.md")).as("case matters").isEmpty();
        assertThat(index.findEntry(archive, "docs")).as("a directory is named with its slash").isEmpty();
        assertThat(index.findEntry(archive, "docs/")).isPresent();
        assertThat(index.findEntry(archive, "README.md")).isEmpty();
        assertThat(index.findEntry(archive, "docs/README.m")).isEmpty();
        assertThat(index.findEntry(archive, "docs/README.md%")).isEmpty();
    }

    @Test
    void entriesBelongToTheirArchive() {
        ArtifactId first = archive();
        ArtifactId second = archive();
        index.saveEntries(first, List.of(stored("a.txt", 40, 1)));
        index.saveEntries(second, List.of(stored("a.txt", 90, 2), stored("b.txt", 100, 3)));

        assertThat(index.findEntry(first, "a.txt")).contains(stored("a.txt", 40, 1));
        assertThat(index.findEntry(second, "a.txt")).contains(stored("a.txt", 90, 2));
        assertThat(index.findEntry(first, "b.txt")).isEmpty();
        assertThat(index.listEntries(first, null, 10)).containsExactly(stored("a.txt", 40, 1));
    }

    @Test
    void savingNoEntriesIsFine() {
        ArtifactId archive = archive();

        index.saveEntries(archive, List.of());

        assertThat(index.listEntries(archive, null, 10)).isEmpty();
    }

    @Test
    void listingIsInCodePointOrderOfPathsAndPagesByThePathAfter() {
        ArtifactId archive = archive();
        // Byte order: '-' < '.' < '/' < 'B' < '_' < 'a' < 'é' < '日' < '📦'. A locale collation orders these otherwise.
        List<String> scrambled = List.of("日", "a/c", "ab", "📦", "a-b", "é", "B.txt", "a.b", "a_b", "a/b");
        List<ArchiveEntry> entries = new ArrayList<>();
        long offset = 0;
        for (String path : scrambled) {
            entries.add(stored(path, offset += 100, 1));
        }
        index.saveEntries(archive, entries);

        List<String> all = index.listEntries(archive, null, 100).stream().map(ArchiveEntry::path).toList();
        assertThat(all).containsExactly("B.txt", "a-b", "a.b", "a/b", "a/c", "a_b", "ab", "é", "日", "📦");

        List<String> paged = new ArrayList<>();
        String after = null;
        while (true) {
            List<ArchiveEntry> page = index.listEntries(archive, after, 3);
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(3);
            page.forEach(e -> paged.add(e.path()));
            after = page.get(page.size() - 1).path();
        }
        assertThat(paged).isEqualTo(all);
        assertThat(index.listEntries(archive, "a/b", 2)).extracting(ArchiveEntry::path).containsExactly("a/c", "a_b");
        assertThat(index.listEntries(archive, "a/bb", 1)).as("the path after need not exist")
                .extracting(ArchiveEntry::path).containsExactly("a/c");
        assertThat(index.listEntries(archive, null, 0)).isEmpty();
    }

    @Test
    void manyEntriesAreSavedAtOnceAndEachIsFound() {
        ArtifactId archive = archive();
        List<ArchiveEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            entries.add(deflated("dir" + (i % 37) + "/file-" + i + ".txt", 100L * i, 40, 100, i));
        }

        index.saveEntries(archive, entries);

        assertThat(index.findEntry(archive, "dir0/file-0.txt")).contains(entries.get(0));
        assertThat(index.findEntry(archive, entries.get(4999).path())).contains(entries.get(4999));
        int listed = 0;
        String after = null;
        for (List<ArchiveEntry> page = index.listEntries(archive, null, 1000); !page.isEmpty();
             page = index.listEntries(archive, after, 1000)) {
            listed += page.size();
            after = page.get(page.size() - 1).path();
        }
        assertThat(listed).isEqualTo(5000);
    }

    @Test
    void deleteRemovesOneArchivesEntriesAndIsIdempotent() {
        ArtifactId doomed = archive();
        ArtifactId kept = archive();
        index.saveEntries(doomed, List.of(stored("x", 1, 1), stored("y", 2, 1)));
        index.saveEntries(kept, List.of(stored("x", 3, 1)));

        index.deleteEntries(doomed);
        index.deleteEntries(doomed);

        assertThat(index.findEntry(doomed, "x")).isEmpty();
        assertThat(index.listEntries(doomed, null, 10)).isEmpty();
        assertThat(index.findEntry(kept, "x")).contains(stored("x", 3, 1));
    }

    @Test
    void entriesSavedInATransactionThatFailsAreNotKept() {
        ArtifactId archive = archive();

        assertThatThrownBy(() -> repos.transactor().inTransaction(() -> {
            index.saveEntries(archive, List.of(stored("rolled/back.txt", 10, 1)));
            throw new IllegalStateException("upload failed after indexing");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(index.findEntry(archive, "rolled/back.txt")).isEmpty();
    }

    @Test
    void entriesAndTheirArchiveRecordGoTogetherInOneTransaction() {
        ArtifactId archive = archive();
        index.saveEntries(archive, List.of(stored("a", 10, 1)));

        repos.transactor().run(() -> {
            index.deleteEntries(archive);
            repos.artifacts().delete(archive);
        });

        assertThat(repos.artifacts().findById(archive)).isEmpty();
        assertThat(index.findEntry(archive, "a")).isEmpty();
    }
}
