package io.jobyard.adapter.http.web;

import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.out.BlobContent;
import io.jobyard.application.port.out.ByteRange;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads the part of a log a page shows, never more than {@link #WINDOW} bytes of it, whatever the log's size: the
 * job page shows the tail and links to the part before it; a live follower asks for what came after its offset.
 */
public final class JobLogParts {
    /** The most of a log one page or one follow step renders. */
    public static final int WINDOW = 256 * 1024;

    private JobLogParts() {
    }

    /** The last {@link #WINDOW} bytes before {@code end} (the log's size when null), rendered. */
    public static JobLog before(Download log, Long end) {
        long to = end == null ? log.size() : Math.min(Math.max(0, end), log.size());
        long from = Math.max(0, to - WINDOW);
        return LogRenderer.render(read(log, from, to - from), from, 1, false);
    }

    /**
     * The lines from {@code offset} on, at most {@link #WINDOW} bytes, numbered from {@code firstLine}: whole lines
     * while the log may grow (the unfinished last line comes with the next step), everything once {@code complete}.
     */
    public static JobLog after(Download log, long offset, int firstLine, boolean complete) {
        long from = Math.min(Math.max(0, offset), log.size());
        long length = Math.min(WINDOW, log.size() - from);
        byte[] bytes = read(log, from, length);
        // A follower's offset is a line start it was given, so nothing before the first line end is cut off.
        JobLog part = LogRenderer.render(bytes, 0, firstLine, !complete);
        if (part.endOffset() == 0 && length == WINDOW) {
            // One line longer than the window: shown in pieces rather than never.
            part = LogRenderer.render(bytes, 0, firstLine, false);
        }
        return new JobLog(part.nodes(), from, from + part.endOffset(), firstLine);
    }

    private static byte[] read(Download log, long from, long length) {
        if (length <= 0) {
            return new byte[0];
        }
        try (BlobContent content = log.open(new ByteRange(from, length))) {
            return content.stream().readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
