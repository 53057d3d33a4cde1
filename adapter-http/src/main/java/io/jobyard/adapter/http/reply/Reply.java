package io.jobyard.adapter.http.reply;

import io.jobyard.application.port.in.Download;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/** What an endpoint answers; {@link ReplyWriter} puts it on the wire (HEAD, ETag, Range, security headers). */
public sealed interface Reply {

    /**
     * A JSON body. GET answers carry a strong ETag of the body and honour If-None-Match.
     *
     * @param headers extra headers in order (pagination)
     */
    record Json(int status, Object body, Map<String, String> headers) implements Reply {
        public Json {
            Objects.requireNonNull(body, "body");
            headers = new LinkedHashMap<>(headers);
        }

        public static Json ok(Object body) {
            return new Json(200, body, Map.of());
        }

        public static Json created(Object body) {
            return new Json(201, body, Map.of());
        }
    }

    /**
     * A small body made in memory (a web page, a static file of the pages): no more than a page's worth, never a
     * download.
     *
     * @param headers extra headers in order (Content-Security-Policy, Set-Cookie, Cache-Control...)
     */
    record Bytes(int status, String contentType, byte[] body, Map<String, String> headers) implements Reply {
        public Bytes {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            headers = new LinkedHashMap<>(headers);
        }
    }

    /** A status with no body (204; a runner's 202 log append, which says {@code Content-Length: 0}). */
    record Empty(int status, Map<String, String> headers) implements Reply {
        public Empty {
            headers = new LinkedHashMap<>(headers);
        }

        public Empty(int status) {
            this(status, Map.of());
        }
    }

    /**
     * An answer that waits: the request is parked, holding no thread, until {@code waiter} resumes it (a runner's long
     * polled job request); then {@code answer} decides the reply on a worker thread, refusals mapped as any route's.
     */
    record Deferred(Waiter waiter, Callable<Reply> answer) implements Reply {
        public Deferred {
            Objects.requireNonNull(waiter, "waiter");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * An open-ended stream of server-sent events ({@code text/event-stream}): the headers go out at once and the
     * events as {@code events} is given them, written without a thread per client until its producer finishes it or
     * the client goes away. A HEAD request gets the headers only (the producer is told the client is gone).
     */
    record EventStream(ServerSentEvents events) implements Reply {
        public EventStream {
            Objects.requireNonNull(events, "events");
        }
    }

    /** Parks a request until it may be answered. */
    @FunctionalInterface
    interface Waiter {
        /**
         * Runs {@code resume} once on {@code worker} when the request may be answered.
         *
         * @return what to run when the client goes away first (then {@code resume} never runs)
         */
        Runnable await(Runnable resume, Executor worker);
    }

    /** A file streamed from a {@link Download}, with the {@code Content-Disposition} its endpoint decided. */
    record Stream(Download download, DownloadStyle style, String contentDisposition) implements Reply {
        public Stream {
            Objects.requireNonNull(download, "download");
            Objects.requireNonNull(style, "style");
            Objects.requireNonNull(contentDisposition, "contentDisposition");
        }
    }

    /** The header conventions of each kind of download (contract §3.4, §3.10, §3.12, §3.13). */
    enum DownloadStyle {
        /** Whole archive: octet-stream, {@code Content-Transfer-Encoding: binary}, RFC 6266 attachment. */
        ARCHIVE,
        /** One file by job id: type by file extension, as Workhorse sends it. */
        FILE_BY_EXTENSION,
        /** One file by ref: type sniffed from the content, text as text/plain (Workhorse's detect-content-type). */
        FILE_SNIFFED,
        /** The job log: {@code text/plain}, {@code Content-Disposition: infile; filename="<id>.log"}. */
        TRACE,
        /** The job page's raw log ({@code /-/jobs/:id/raw}): {@code text/plain; charset=utf-8}, shown inline. */
        RAW_LOG
    }
}
