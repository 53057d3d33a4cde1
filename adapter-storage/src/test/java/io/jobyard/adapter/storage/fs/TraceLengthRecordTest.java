package io.jobyard.adapter.storage.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TraceLengthRecordTest {
    @TempDir
    Path directory;

    @Test
    void noFileMeansNothingCommitted() throws IOException {
        assertThat(TraceLengthRecord.read(directory.resolve("length"))).isEqualTo(TraceLengthRecord.NONE);
    }

    @Test
    void theNewestCommitWins() throws IOException {
        Path file = directory.resolve("length");
        TraceLengthRecord record = TraceLengthRecord.NONE;
        for (long length : new long[] {10, 20, 35}) {
            record = record.commit(file, length);
        }

        assertThat(TraceLengthRecord.read(file)).isEqualTo(new TraceLengthRecord(3, 35));
    }

    @Test
    void aTornCommitLeavesThePreviousLengthInForce() throws IOException {
        Path file = directory.resolve("length");
        TraceLengthRecord committed = TraceLengthRecord.NONE.commit(file, 100).commit(file, 250);
        // A crash while writing the next commit (sequence 3, which goes to the slot of sequence 1): the sequence and
        // length made it to disk, the checksum did not.
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(512);
            raw.writeLong(3);
            raw.writeLong(999_999);
        }

        assertThat(TraceLengthRecord.read(file)).isEqualTo(committed);
        assertThat(TraceLengthRecord.read(file).commit(file, 300)).isEqualTo(new TraceLengthRecord(3, 300));
        assertThat(TraceLengthRecord.read(file)).isEqualTo(new TraceLengthRecord(3, 300));
    }

    @Test
    void aCommitNeverOverwritesTheNewestRecord() throws IOException {
        Path file = directory.resolve("length");
        TraceLengthRecord.NONE.commit(file, 100).commit(file, 250);
        // Wreck the slot the next commit writes; the newest record must still be there to fall back on.
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(512);
            raw.write(new byte[24]);
        }

        assertThat(TraceLengthRecord.read(file)).isEqualTo(new TraceLengthRecord(2, 250));
    }
}
