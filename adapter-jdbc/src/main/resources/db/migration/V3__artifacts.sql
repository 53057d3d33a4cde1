-- Artifact records (the bytes live in the artifact store) and the index of archive entries.

CREATE SEQUENCE job_artifact_id_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE job_artifacts (
    id             BIGINT        NOT NULL PRIMARY KEY,
    job_id         BIGINT        NOT NULL,
    project_id     BIGINT        NOT NULL,
    file_type      SMALLINT      NOT NULL,
    file_format    SMALLINT      NOT NULL,
    filename       VARCHAR(1024) NOT NULL,
    size_bytes     BIGINT        NOT NULL,
    sha256         VARCHAR(64),
    expire_at      TIMESTAMP WITH TIME ZONE,
    locked         BOOLEAN       NOT NULL,
    accessibility  VARCHAR(32)   NOT NULL,
    storage_key    VARCHAR(2048) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
-- one artifact per type per job; the index also serves "a job's artifacts" and "a page of jobs' artifacts"
CREATE UNIQUE INDEX job_artifacts_job_type_key ON job_artifacts (job_id, file_type);
-- the expiry sweeper
CREATE INDEX job_artifacts_expire_at_idx ON job_artifacts (expire_at);
-- batched deletes of a project's artifacts
CREATE INDEX job_artifacts_project_id_idx ON job_artifacts (project_id, id);
-- the job is enforced; the project follows from it (see V2 on project_id keys and H2)
ALTER TABLE job_artifacts ADD CONSTRAINT job_artifacts_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id);

-- Entries of archive artifacts, so a single-file download is one lookup plus one ranged read. Paths must compare by
-- code point so listings page the same way on every database: the path_collation placeholder is COLLATE "C" on
-- PostgreSQL (whose default collation ignores punctuation) and empty on H2 (which compares code units already).
CREATE TABLE archive_entries (
    artifact_id        BIGINT        NOT NULL,
    path               VARCHAR(4096) ${path_collation} NOT NULL,
    data_offset        BIGINT        NOT NULL,
    compression_method SMALLINT      NOT NULL,
    compressed_size    BIGINT        NOT NULL,
    uncompressed_size  BIGINT        NOT NULL,
    crc32              BIGINT        NOT NULL,
    PRIMARY KEY (artifact_id, path)
);
