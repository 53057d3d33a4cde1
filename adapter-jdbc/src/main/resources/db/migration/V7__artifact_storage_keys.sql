-- The orphan sweep asks which of a batch of listed storage keys an artifact record names
-- (storage_key IN (...)); without an index that is a scan of every artifact per batch. Keys are ASCII and at most
-- 1024 characters (the stores refuse longer ones), well within a B-tree entry on both databases.

CREATE INDEX job_artifacts_storage_key_idx ON job_artifacts (storage_key);
