-- Issue 18: finished jobs whose live log waits to be archived, written in the transaction that completes the job and
-- removed once the archive is recorded and the live chunks are deleted (GitLab's ArchiveTraceWorker queue, kept here so
-- a crash loses nothing). lease_owner/lease_until: the instance archiving it right now; a dead instance's lease runs
-- out and another takes the entry. last_error: why the last attempt failed, for operators.
CREATE TABLE trace_archive_queue (
    job_id           BIGINT        NOT NULL PRIMARY KEY,
    attempts         INTEGER       NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner      VARCHAR(64),
    lease_until      TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(1000),
    queued_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX trace_archive_queue_due_idx ON trace_archive_queue (next_attempt_at);
