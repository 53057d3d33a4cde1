package io.jobyard.application.port.in.live;

import io.jobyard.domain.job.JobStatus;

import java.nio.ByteBuffer;
import java.util.Objects;

/** What a follower is told: bytes of the log, status changes, the end, and heartbeats. */
public sealed interface LiveLogEvent {

    /**
     * Log bytes {@code [start, end())}, exactly as stored (invalid UTF-8 and masked secrets included; nothing is
     * decoded). The array is shared by every follower the same read was delivered to and must not be changed.
     */
    record Bytes(long start, byte[] data) implements LiveLogEvent {
        public Bytes {
            Objects.requireNonNull(data, "data");
            if (start < 0) {
                throw new IllegalArgumentException("start must not be negative");
            }
        }

        /** The offset after these bytes: the event's id, from which a reconnecting client resumes. */
        public long end() {
            return start + data.length;
        }

        /** The bytes, as a read-only buffer of the follower's own (shares the array, not the position). */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(data).asReadOnlyBuffer();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes that && start == that.start && java.util.Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(start) * 31 + java.util.Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Bytes[" + start + ".." + end() + "]";
        }
    }

    /** The job's status: first when the follow starts, then on every change. */
    record Status(JobStatus status) implements LiveLogEvent {
        public Status {
            Objects.requireNonNull(status, "status");
        }
    }

    /** The job has finished and every byte of its log was delivered; {@code length} is the log's final length. */
    record End(JobStatus status, long length) implements LiveLogEvent {
        public End {
            Objects.requireNonNull(status, "status");
        }
    }

    /** Nothing happened for the heartbeat interval (an SSE comment keeps proxies from closing the stream). */
    record Heartbeat() implements LiveLogEvent {
    }

    Heartbeat HEARTBEAT = new Heartbeat();
}
