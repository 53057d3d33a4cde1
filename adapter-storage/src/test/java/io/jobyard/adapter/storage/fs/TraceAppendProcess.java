package io.jobyard.adapter.storage.fs;

import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.job.JobId;

import java.io.IOException;
import java.io.InputStream;

/**
 * A second process appending to a shared trace directory, for {@link FilesystemTraceStoreOnDiskTest}. Usage:
 * {@code TraceAppendProcess <directory> <jobId> <offset>}; the data is its standard input. Prints {@code READING}
 * when the store starts reading the data (so it holds the job's lock), then {@code OK <length>} or
 * {@code 416 <length>}.
 */
public final class TraceAppendProcess {
    private TraceAppendProcess() {
    }

    public static void main(String[] args) {
        FilesystemTraceStore store = new FilesystemTraceStore(java.nio.file.Path.of(args[0]));
        InputStream announcingStdin = new InputStream() {
            private boolean announced;

            @Override
            public int read() throws IOException {
                announce();
                return System.in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                announce();
                return System.in.read(buffer, offset, length);
            }

            private void announce() {
                if (!announced) {
                    announced = true;
                    System.out.println("READING");
                    System.out.flush();
                }
            }
        };
        try {
            long length = store.append(JobId.of(Long.parseLong(args[1])), Long.parseLong(args[2]), announcingStdin,
                    Long.MAX_VALUE);
            System.out.println("OK " + length);
        } catch (RangeNotSatisfiableException e) {
            System.out.println("416 " + e.currentLength());
        }
        System.out.flush();
    }
}
