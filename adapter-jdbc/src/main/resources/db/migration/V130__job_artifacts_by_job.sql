-- Issue 17: a project's jobs with artifacts in job id order (with_artifacts=true listed by id reads job ids from here
-- and then those jobs by key, instead of asking each job whether it has artifacts); file_type included so the range
-- answers "not a log" without reading the rows.
CREATE INDEX job_artifacts_project_job_idx ON job_artifacts (project_id, job_id, file_type);
