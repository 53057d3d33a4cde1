-- The Unix mode and modification time of archive entries (GET .../jobs/:job_id/artifacts_tree), read from the zip's
-- central directory at upload. Entries indexed before this stay without them (NULL): the archives are never re-read.
ALTER TABLE archive_entries ADD COLUMN mode INTEGER;
ALTER TABLE archive_entries ADD COLUMN modified_at TIMESTAMP WITH TIME ZONE;
