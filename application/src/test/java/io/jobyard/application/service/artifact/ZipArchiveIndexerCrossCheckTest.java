package io.jobyard.application.service.artifact;

import io.jobyard.domain.artifact.ArchiveEntry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ZipArchiveIndexer} against an independent zip implementation, Apache Commons Compress: archives written by
 * it (streamed with data descriptors, or with sizes up front; ZIP64 or not; stored and deflated entries; names
 * beyond ASCII) must index to exactly the entries, offsets, sizes and CRCs its {@link ZipFile} reads, and an entry's
 * bytes at the indexed offset must be what it extracts. The JDK-written archives of {@link ZipArchiveIndexerTest} are
 * checked the same way, so two writers and two readers agree.
 */
class ZipArchiveIndexerCrossCheckTest {
    private static final ZipArchiveIndexer INDEXER = new ZipArchiveIndexer(ArtifactLimits.DEFAULTS);

    /** One entry to write: a file, or a directory when the name ends in a slash. */
    record Spec(String name, byte[] content, boolean stored) {
    }

    /** How commons-compress writes the archive. */
    record Layout(boolean streamed, Zip64Mode zip64, String comment) {
    }

    @Provide
    Arbitrary<List<Spec>> entries() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcxyz-_.0123456789").ofMinLength(1)
                .ofMaxLength(12).filter(s -> !s.equals(".") && !s.equals(".."))
                .map(s -> s.replace("..", "_"));
        Arbitrary<String> unicode = Arbitraries.of("résumé", "日本語", "naïve file", "ß");
        Arbitrary<String> name = Arbitraries.oneOf(segment, unicode).list().ofMinSize(1).ofMaxSize(3)
                .map(parts -> String.join("/", parts));
        Arbitrary<byte[]> content = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
                Arbitraries.integers().between(0, 70_000).map(Zips::text));
        Arbitrary<Spec> file = Combinators.combine(name, content, Arbitraries.of(true, false)).as(Spec::new);
        Arbitrary<Spec> directory = name.map(n -> new Spec(n + "/", new byte[0], true));
        return Arbitraries.frequencyOf(Tuple.of(6, file), Tuple.of(1, directory))
                .list().ofMinSize(1).ofMaxSize(12)
                .filter(list -> list.stream().map(Spec::name).distinct().count() == list.size());
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.of(Zip64Mode.AsNeeded, Zip64Mode.Always, Zip64Mode.Never),
                        Arbitraries.of("", "an archive comment"))
                .as(Layout::new);
    }

    @Property(tries = 150)
    void archivesWrittenByCommonsCompressIndexAsItReadsThem(@ForAll("entries") List<Spec> specs,
                                                            @ForAll("layouts") Layout layout) throws IOException {
        byte[] archive = commonsCompressZip(specs, layout);

        assertIndexedAsCommonsCompressReads(archive);
    }

    @Property(tries = 60)
    void archivesWrittenByTheJdkIndexAsCommonsCompressReadsThem(@ForAll("entries") List<Spec> specs)
            throws IOException {
        List<Zips.File> files = specs.stream().map(s -> new Zips.File(s.name(), s.content(), s.stored())).toList();
        byte[] archive = Zips.zip(null, files);

        assertIndexedAsCommonsCompressReads(archive);
    }

    @Test
    void anEmptyArchiveHasNoEntriesForEither() throws IOException {
        byte[] archive = commonsCompressZip(List.of(), new Layout(false, Zip64Mode.AsNeeded, ""));

        assertThat(INDEXER.index(archive.length, new ZipArchiveIndexerTest.Reader(archive))).isEmpty();
        assertIndexedAsCommonsCompressReads(archive);
    }

    private static void assertIndexedAsCommonsCompressReads(byte[] archive) throws IOException {
        List<ArchiveEntry> indexed = INDEXER.index(archive.length, new ZipArchiveIndexerTest.Reader(archive));
        Map<String, ZipArchiveEntry> read = new LinkedHashMap<>();
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                read.put(entry.getName(), entry);
            }
            assertThat(indexed).extracting(ArchiveEntry::path).containsExactlyElementsOf(read.keySet());
            for (ArchiveEntry entry : indexed) {
                ZipArchiveEntry theirs = read.get(entry.path());
                assertThat(entry.dataOffset()).as(entry.path() + " data offset").isEqualTo(theirs.getDataOffset());
                assertThat(entry.method()).as(entry.path() + " method").isEqualTo(theirs.getMethod());
                assertThat(entry.compressedSize()).as(entry.path() + " compressed size")
                        .isEqualTo(theirs.getCompressedSize());
                assertThat(entry.uncompressedSize()).as(entry.path() + " size").isEqualTo(theirs.getSize());
                assertThat(entry.crc32()).as(entry.path() + " CRC-32").isEqualTo(theirs.getCrc());
                byte[] extracted;
                try (InputStream in = zip.getInputStream(theirs)) {
                    extracted = in.readAllBytes();
                }
                assertThat(ZipArchiveIndexerTest.contentOf(archive, entry)).as(entry.path() + " content")
                        .isEqualTo(extracted);
            }
        }
    }

    private static byte[] commonsCompressZip(List<Spec> specs, Layout layout) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A plain OutputStream makes commons-compress stream entries with data descriptors after their data; a
        // seekable channel lets it go back and write the sizes into the local headers.
        SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
        try (ZipArchiveOutputStream zip = layout.streamed() ? new ZipArchiveOutputStream(bytes)
                : new ZipArchiveOutputStream(channel)) {
            zip.setUseZip64(layout.zip64());
            zip.setEncoding(StandardCharsets.UTF_8.name());
            zip.setComment(layout.comment());
            for (Spec spec : specs) {
                ZipArchiveEntry entry = new ZipArchiveEntry(spec.name());
                entry.setMethod(spec.stored() ? ZipArchiveEntry.STORED : ZipArchiveEntry.DEFLATED);
                if (spec.stored()) {
                    // A stored entry must state its size and CRC up front when it is streamed.
                    CRC32 crc = new CRC32();
                    crc.update(spec.content());
                    entry.setSize(spec.content().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putArchiveEntry(entry);
                zip.write(spec.content());
                zip.closeArchiveEntry();
            }
        }
        if (layout.streamed()) {
            return bytes.toByteArray();
        }
        byte[] written = new byte[(int) channel.size()];
        System.arraycopy(channel.array(), 0, written, 0, written.length);
        return written;
    }
}
