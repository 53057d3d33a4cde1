-- Live job logs in fixed-size chunks (128 KiB; the adapter fixes the size), so every instance of a multi-instance
-- deployment sees the same log. The length row is the append point: appends lock it and advance it conditionally.

CREATE TABLE trace_lengths (
    job_id  BIGINT NOT NULL PRIMARY KEY,
    length  BIGINT NOT NULL
);

CREATE TABLE trace_chunks (
    job_id       BIGINT  NOT NULL,
    chunk_index  INTEGER NOT NULL,
    data         BYTEA   NOT NULL,
    PRIMARY KEY (job_id, chunk_index)
);
