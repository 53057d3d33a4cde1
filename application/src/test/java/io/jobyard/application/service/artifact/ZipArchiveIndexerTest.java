package io.jobyard.application.service.artifact;

import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;
import io.jobyard.application.stream.RangedReader;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.Inflater;

import static io.jobyard.application.service.artifact.Zips.File;
import static io.jobyard.application.service.artifact.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZipArchiveIndexerTest {
    private static final ArtifactLimits LIMITS = ArtifactLimits.DEFAULTS;

    /** Serves ranges of an archive held in memory and records them. */
    static final class Reader implements RangedReader {
        final byte[] archive;
        final List<ByteRange> reads = new ArrayList<>();

        Reader(byte[] archive) {
            this.archive = archive;
        }

        @Override
        public BlobContent read(ByteRange range) {
            if (range.offset() > archive.length) {
                throw new RangeNotSatisfiableException(archive.length);
            }
            long length = range.lengthWithin(archive.length);
            reads.add(new ByteRange(range.offset(), length));
            return new BlobContent(new ByteArrayInputStream(archive, (int) range.offset(), (int) length),
                    archive.length, range.offset(), length);
        }

        long bytesRead() {
            return reads.stream().mapToLong(ByteRange::length).sum();
        }
    }

    private static List<ArchiveEntry> index(byte[] archive) {
        return index(archive, LIMITS);
    }

    private static List<ArchiveEntry> index(byte[] archive, ArtifactLimits limits) {
        return new ZipArchiveIndexer(limits).index(archive.length, new Reader(archive));
    }

    private static Map<String, ArchiveEntry> byPath(List<ArchiveEntry> entries) {
        return entries.stream().collect(Collectors.toMap(ArchiveEntry::path, Function.identity()));
    }

    /** What a download of the entry yields: its bytes at the indexed offset, inflated when deflated. */
    static byte[] contentOf(byte[] archive, ArchiveEntry entry) {
        byte[] data = Arrays.copyOfRange(archive, (int) entry.dataOffset(),
                (int) (entry.dataOffset() + entry.compressedSize()));
        if (entry.stored()) {
            return data;
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(Arrays.copyOf(data, data.length + 1));
            byte[] out = new byte[(int) entry.uncompressedSize()];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                n += inflater.inflate(out, n, out.length - n);
            }
            return out;
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
    }

    // --------------------------------------------------------------------------------------------- what it finds

    @Test
    void indexesStoredDeflatedDirectoryAndNonAsciiEntriesAtTheirExactDataOffsets() {
        byte[] report = Zips.text(50_000);
        byte[] binary = Zips.random(3000, 1);
        byte[] archive = zip(
                File.directory("build/"),
                new File("build/report.txt", report, false),
                new File("build/app.bin", binary, true),
                File.stored("données/résumé.txt", "bonjour"),
                File.deflated("日本語/ファイル.txt", "こんにちは"),
                File.stored("empty.txt", ""));

        List<ArchiveEntry> entries = index(archive);

        assertThat(entries).extracting(ArchiveEntry::path).containsExactly("build/", "build/report.txt",
                "build/app.bin", "données/résumé.txt", "日本語/ファイル.txt", "empty.txt");
        Map<String, ArchiveEntry> byPath = byPath(entries);
        ArchiveEntry deflated = byPath.get("build/report.txt");
        assertThat(deflated.method()).isEqualTo(ArchiveEntry.DEFLATED);
        assertThat(deflated.uncompressedSize()).isEqualTo(report.length);
        assertThat(deflated.compressedSize()).isLessThan(report.length);
        assertThat(deflated.crc32()).isEqualTo(Zips.crc(report));
        assertThat(contentOf(archive, deflated)).isEqualTo(report);
        ArchiveEntry stored = byPath.get("build/app.bin");
        assertThat(stored.stored()).isTrue();
        assertThat(contentOf(archive, stored)).isEqualTo(binary);
        assertThat(contentOf(archive, byPath.get("données/résumé.txt"))).asString(StandardCharsets.UTF_8)
                .isEqualTo("bonjour");
        assertThat(contentOf(archive, byPath.get("日本語/ファイル.txt"))).asString(StandardCharsets.UTF_8)
                .isEqualTo("こんにちは");
        assertThat(byPath.get("build/").directory()).isTrue();
        assertThat(byPath.get("empty.txt").uncompressedSize()).isZero();
    }

    /**
     * A Unix-made archive (host 3 in "version made by") keeps the mode in the external attributes' upper half; the
     * extended timestamp (0x5455, UTC seconds) wins over the zone-less DOS time, which is read as UTC otherwise.
     */
    @Test
    void unixModesAndModificationTimesAreKept() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            java.util.zip.ZipEntry script = new java.util.zip.ZipEntry("bin/run.sh");
            script.setLastModifiedTime(java.nio.file.attribute.FileTime.from(
                    java.time.Instant.parse("2024-05-01T10:00:03Z")));
            zip.putNextEntry(script);
            zip.write("echo".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
            java.util.zip.ZipEntry dos = new java.util.zip.ZipEntry("notes.txt");
            zip.putNextEntry(dos);
            zip.closeEntry();
        }
        byte[] archive = bytes.toByteArray();
        List<Integer> headers = Zips.centralHeaders(archive);
        Zips.putLe16(archive, headers.get(0) + 4, 0x031E);
        Zips.putLe32(archive, headers.get(0) + 38, 0100755L << 16);
        // the second entry: DOS time 2023-12-24 18:30:10, no extended timestamp, made on MS-DOS
        Zips.putLe16(archive, headers.get(1) + 12, (18 << 11) | (30 << 5) | 5);
        Zips.putLe16(archive, headers.get(1) + 14, ((2023 - 1980) << 9) | (12 << 5) | 24);

        Map<String, ArchiveEntry> entries = byPath(index(archive));

        assertThat(entries.get("bin/run.sh").mode()).isEqualTo(0100755);
        assertThat(entries.get("bin/run.sh").modifiedAt()).isEqualTo(java.time.Instant.parse("2024-05-01T10:00:03Z"));
        assertThat(entries.get("notes.txt").mode()).as("not made on Unix").isNull();
        assertThat(entries.get("notes.txt").modifiedAt()).isEqualTo(java.time.Instant.parse("2023-12-24T18:30:10Z"));
    }

    @Test
    void localExtraFieldsLongerThanTheCentralOnesShiftTheDataOffset() {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        byte[] archive = new Zips.Raw()
                .withLongLocalExtra("a.txt", first, 36)
                .withLongLocalExtra("b.txt", second, 300)
                .build();

        Map<String, ArchiveEntry> entries = byPath(index(archive));

        assertThat(entries.get("a.txt").dataOffset()).isEqualTo(30 + 5 + 36);
        assertThat(contentOf(archive, entries.get("a.txt"))).isEqualTo(first);
        assertThat(contentOf(archive, entries.get("b.txt"))).isEqualTo(second);
    }

    @Test
    void aCommentAfterTheEndRecordEvenOneHoldingItsSignatureIsSkipped() {
        byte[] archive = zip("release notes PK\u0005\u0006 not a real end record", List.of(File.stored("a", "1")));

        assertThat(index(archive)).extracting(ArchiveEntry::path).containsExactly("a");
    }

    @Test
    void zip64FieldsInTheExtraFieldAndTheZip64EndRecordAreRead() {
        byte[] content = Zips.text(10_000);
        byte[] archive = new Zips.Raw()
                .stored("plain.txt", "plain".getBytes(StandardCharsets.UTF_8))
                .zip64Deflated("big.txt", content)
                .build();

        Map<String, ArchiveEntry> entries = byPath(index(archive));

        assertThat(entries.get("big.txt").uncompressedSize()).isEqualTo(content.length);
        assertThat(contentOf(archive, entries.get("big.txt"))).isEqualTo(content);
        assertThat(contentOf(archive, entries.get("plain.txt"))).asString().isEqualTo("plain");
    }

    @Test
    void anArchiveWithMoreThan65535EntriesUsesZip64AndIsIndexed() {
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 65_600; i++) {
            files.add(File.stored("f" + i, ""));
        }
        files.add(File.stored("last.txt", "the end"));
        byte[] archive = zip(null, files);

        List<ArchiveEntry> entries = index(archive);

        assertThat(entries).hasSize(65_601);
        assertThat(contentOf(archive, entries.get(65_600))).asString().isEqualTo("the end");
    }

    @Test
    void anEmptyArchiveHasNoEntries() {
        assertThat(index(new Zips.Raw().build())).isEmpty();
    }

    @Test
    void itReadsRangesNotTheWholeArchiveAndGroupsNearbyHeaders() {
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            files.add(new File("small/" + i + ".txt", ("file " + i).getBytes(StandardCharsets.UTF_8), false));
        }
        files.add(new File("big.bin", Zips.random(4 * 1024 * 1024, 2), true));
        byte[] archive = zip(null, files);
        Reader reader = new Reader(archive);

        List<ArchiveEntry> entries = new ZipArchiveIndexer(LIMITS).index(archive.length, reader);

        assertThat(entries).hasSize(301);
        assertThat(reader.reads).allSatisfy(read -> assertThat(read.length()).isLessThan(100_000));
        assertThat(reader.bytesRead()).as("bytes read to index a 4 MiB archive").isLessThan(200_000);
        assertThat(reader.reads.size()).as("reads for 301 local headers").isLessThan(20);
    }

    // ----------------------------------------------------------------------------------------- what it refuses

    @ParameterizedTest
    @ValueSource(strings = {"../evil.sh", "a/../../evil.sh", "/etc/passwd", "C:/windows/evil", "dir\\evil",
            "nul\u0000byte", ".."})
    void entryNamesThatCouldEscapeTheArchiveRootAreRefused(String name) {
        byte[] archive = new Zips.Raw().stored("fine.txt", new byte[1]).stored(name, new byte[1]).build();

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("archive entry name is not allowed");
    }

    @Test
    void entryNamesThatAreNotUtf8AreRefused() {
        byte[] latin1 = "caf\u00e9.txt".getBytes(StandardCharsets.ISO_8859_1);
        byte[] archive = new Zips.Raw().entry(latin1, 0, new byte[0], 0, 0, 0, new byte[0], new byte[0], false)
                .build();

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void duplicateNamesAreRefused() {
        byte[] archive = new Zips.Raw().stored("a.txt", new byte[1]).stored("a.txt", new byte[2]).build();

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class).hasMessageContaining("twice");
    }

    @Test
    void methodsOtherThanStoredAndDeflatedAreRefused() {
        byte[] bzip2 = new Zips.Raw()
                .entry("a.bz2".getBytes(), 12, new byte[10], 0, 100, 0x800, new byte[0], new byte[0], false).build();

        assertThatThrownBy(() -> index(bzip2)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("compression method 12");
    }

    @Test
    void encryptedEntriesAreRefused() {
        byte[] encrypted = new Zips.Raw()
                .entry("secret.txt".getBytes(), 0, new byte[12], 0, 12, 0x801, new byte[0], new byte[0], false)
                .build();

        assertThatThrownBy(() -> index(encrypted)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void aTruncatedArchiveIsRefused() {
        byte[] archive = zip(File.deflated("a.txt", "hello"), File.stored("b.txt", "world"));

        assertThatThrownBy(() -> index(Arrays.copyOf(archive, archive.length - 10)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("invalid zip archive");
        assertThatThrownBy(() -> index(Arrays.copyOfRange(archive, 30, archive.length)))
                .as("the start cut off").isInstanceOf(BadRequestException.class);
    }

    @Test
    void somethingThatIsNotAZipAtAllIsRefused() {
        assertThatThrownBy(() -> index(Zips.random(10_000, 3))).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> index("PK".getBytes())).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> index(new byte[0])).isInstanceOf(BadRequestException.class);
    }

    @Test
    void aCentralDirectoryThatPointsAtGarbageIsRefused() {
        byte[] archive = zip(File.stored("a.txt", "hello"), File.stored("b.txt", "world"));
        int second = Zips.centralHeaders(archive).get(1);
        Zips.putLe32(archive, second + 42, 3); // local header offset into the middle of the first entry

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void aLocalHeaderThatDisagreesWithTheCentralDirectoryIsRefused() {
        byte[] archive = zip(File.stored("a.txt", "hello"));
        archive[30] = 'b'; // the local header's name

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("disagree on the name");
    }

    @Test
    void entriesWhoseDataOverlap_theOverlappingZipBomb_areRefused() {
        // The outer entry's data is itself a complete local header plus data; a second central header points into it,
        // so the same bytes would be counted (and expanded) twice.
        byte[] innerContent = Zips.text(1000);
        byte[] inner = new Zips.Raw().stored("b.txt", innerContent).build();
        int innerLength = 30 + "b.txt".length() + innerContent.length;
        byte[] outerContent = Arrays.copyOf(inner, innerLength);
        byte[] archive = new Zips.Raw()
                .stored("a.bin", outerContent)
                .headerAt(30 + "a.bin".length(), "b.txt", 0, innerContent.length, innerContent.length,
                        Zips.crc(innerContent))
                .build();

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("overlaps");
    }

    @Test
    void twoCentralHeadersForOneLocalHeaderAreRefused() {
        byte[] content = Zips.text(1000);
        byte[] archive = new Zips.Raw()
                .deflated("a.txt", content)
                .aliasOf("a.txt", "copy.txt", 8, Zips.deflate(content).length, content.length, Zips.crc(content))
                .build();

        assertThatThrownBy(() -> index(archive)).isInstanceOf(BadRequestException.class);
    }

    // ------------------------------------------------------------------------------------------------ limits

    @Test
    void anArchiveExpandingBeyondTheLimitIsRefused_aSmallEntryOfZeros() {
        byte[] zeros = new byte[10 * 1024 * 1024];
        byte[] archive = zip(new File("zeros.bin", zeros, false));
        assertThat(archive.length).isLessThan(20_000);

        assertThatThrownBy(() -> index(archive, LIMITS.withMaxUncompressedSize(1024 * 1024)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(index(archive, LIMITS.withMaxUncompressedSize(10 * 1024 * 1024))).hasSize(1);
    }

    @Test
    void aSmallEntryClaimingAHugeSizeIsRefused() {
        byte[] archive = zip(File.deflated("liar.txt", "tiny"));
        int header = Zips.centralHeaders(archive).get(0);
        Zips.putLe32(archive, header + 24, 0xFFFF_FFF0L); // claims ~4 GiB uncompressed

        assertThatThrownBy(() -> index(archive, LIMITS.withMaxUncompressedSize(1L << 30)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(() -> index(archive, LIMITS.withMaxUncompressedSize(1L << 40)))
                .as("within the size limit the claim is still impossible for deflate")
                .isInstanceOf(BadRequestException.class).hasMessageContaining("impossible compression ratio");
    }

    @Test
    void tooManyEntriesAreRefusedBeforeTheDirectoryIsWalked() {
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            files.add(File.stored("f" + i, "x"));
        }
        byte[] archive = zip(null, files);
        Reader reader = new Reader(archive);

        assertThatThrownBy(() -> new ZipArchiveIndexer(LIMITS.withMaxEntries(1000)).index(archive.length, reader))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("1001 entries");
        assertThat(reader.reads).hasSize(1);
        assertThat(new ZipArchiveIndexer(LIMITS.withMaxEntries(1001)).index(archive.length, new Reader(archive)))
                .hasSize(1001);
    }

    @Test
    void manySmallEntriesTogetherOverTheLimitAreRefused() {
        List<File> files = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            files.add(new File("f" + i, new byte[100_000], false));
        }
        byte[] archive = zip(null, files);

        assertThatThrownBy(() -> index(archive, LIMITS.withMaxUncompressedSize(9_999_999)))
                .isInstanceOf(PayloadTooLargeException.class);
    }

}
