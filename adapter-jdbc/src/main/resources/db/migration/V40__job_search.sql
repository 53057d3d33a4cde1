-- Filters and orders of the job lists (issue 17): GET /projects/:id/jobs?name=&stage=&ref=&...&order_by=&sort=.
-- Every list is a range of one index that is walked in order and stops at the page's end, or a small set of rows read
-- through one index and sorted: the adapter spells each query so that both databases pick one of those.

-- Sort values the two databases page through alike (JobOrder): the finish time and the duration in whole
-- microseconds. Jobs that have none sort after all others in both directions, so each direction has its own column:
-- 9223372036854775807 (Long.MAX_VALUE) in the ascending one, -9223372036854775808 (Long.MIN_VALUE) in the descending
-- one, rather than NULLs, which H2 and PostgreSQL place at opposite ends. A list of the latest finished jobs then
-- starts with them instead of behind every unfinished job. The adapter writes them with every insert and update.
ALTER TABLE jobs ADD COLUMN finished_order BIGINT;
ALTER TABLE jobs ADD COLUMN duration_order BIGINT;
ALTER TABLE jobs ADD COLUMN finished_order_desc BIGINT;
ALTER TABLE jobs ADD COLUMN duration_order_desc BIGINT;
-- The pipeline's source (push, web, schedule...), copied when the job is inserted: a pipeline's source never changes,
-- and a filter on it then needs no join.
ALTER TABLE jobs ADD COLUMN pipeline_source VARCHAR(64);

UPDATE jobs SET
    finished_order = CASE WHEN finished_at IS NULL THEN 9223372036854775807
                          ELSE CAST(EXTRACT(EPOCH FROM finished_at) * 1000000 AS BIGINT) END,
    duration_order = CASE WHEN finished_at IS NULL OR started_at IS NULL THEN 9223372036854775807
                          ELSE CAST(EXTRACT(EPOCH FROM finished_at) * 1000000 AS BIGINT)
                             - CAST(EXTRACT(EPOCH FROM started_at) * 1000000 AS BIGINT) END,
    pipeline_source = (SELECT p.source FROM pipelines p WHERE p.id = jobs.pipeline_id);
UPDATE jobs SET
    finished_order_desc = CASE WHEN finished_order = 9223372036854775807 THEN -9223372036854775808
                               ELSE finished_order END,
    duration_order_desc = CASE WHEN duration_order = 9223372036854775807 THEN -9223372036854775808
                               ELSE duration_order END;

ALTER TABLE jobs ALTER COLUMN finished_order SET NOT NULL;
ALTER TABLE jobs ALTER COLUMN duration_order SET NOT NULL;
ALTER TABLE jobs ALTER COLUMN finished_order_desc SET NOT NULL;
ALTER TABLE jobs ALTER COLUMN duration_order_desc SET NOT NULL;
ALTER TABLE jobs ALTER COLUMN pipeline_source SET NOT NULL;

-- One index per order (order_by=created_at|updated_at|finished_at|duration; id has jobs_project_id_idx), walked in
-- either direction; finish times and durations have one per direction. updated_at is the change feed's order.
CREATE INDEX jobs_project_created_idx ON jobs (project_id, created_at, id);
CREATE INDEX jobs_project_updated_idx ON jobs (project_id, updated_at, id);
CREATE INDEX jobs_project_finished_idx ON jobs (project_id, finished_order, id);
CREATE INDEX jobs_project_duration_idx ON jobs (project_id, duration_order, id);
CREATE INDEX jobs_project_finished_desc_idx ON jobs (project_id, finished_order_desc, id);
CREATE INDEX jobs_project_duration_desc_idx ON jobs (project_id, duration_order_desc, id);

-- One index per equality filter, ending in the id: newest first within a value is a walk that stops at the page's
-- end, and a rare value is a short range whatever the order. The name index also serves name globs with a literal
-- start (LIKE 'rspec%').
CREATE INDEX jobs_project_name_idx ON jobs (project_id, name, id);
CREATE INDEX jobs_project_stage_idx ON jobs (project_id, stage, id);
CREATE INDEX jobs_project_ref_idx ON jobs (project_id, ref, id);
CREATE INDEX jobs_project_user_idx ON jobs (project_id, user_id, id);
CREATE INDEX jobs_project_runner_idx ON jobs (project_id, runner_id, id);
CREATE INDEX jobs_project_failure_idx ON jobs (project_id, failure_reason, id);
CREATE INDEX jobs_project_source_idx ON jobs (project_id, pipeline_source, id);

-- sha=: the project's pipelines of a commit (few), whose jobs jobs_pipeline_id_idx then reads.
CREATE INDEX pipelines_project_sha_idx ON pipelines (project_id, sha, id);
-- GET /projects/:id/pipelines?order_by=updated_at, by offset or keyset
CREATE INDEX pipelines_project_updated_idx ON pipelines (project_id, updated_at, id);

-- with_artifacts= and artifact_type=: a project's jobs having an artifact of a type, newest job first.
CREATE INDEX job_artifacts_project_type_job_idx ON job_artifacts (project_id, file_type, job_id);

-- tag=: the tags of each job's definition (jobs.tags holds them as text, which no index can search), written with the
-- job; a job's tags never change after it is created. V41 copies the tags of the jobs that exist already. Tags longer
-- than 1024 characters (nothing limits them in a .gitlab-ci.yml; runners' tags are short) are not indexed, and the
-- API refuses a longer tag= value.
CREATE TABLE job_tags (
    job_id      BIGINT        NOT NULL,
    project_id  BIGINT        NOT NULL,
    tag         VARCHAR(1024) NOT NULL,
    PRIMARY KEY (job_id, tag)
);
CREATE INDEX job_tags_project_tag_job_idx ON job_tags (project_id, tag, job_id);
ALTER TABLE job_tags ADD CONSTRAINT job_tags_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE;
