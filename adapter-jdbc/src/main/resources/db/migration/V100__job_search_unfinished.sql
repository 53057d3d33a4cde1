-- Issue 17, performance: a status filter of unfinished statuses (scope[]=pending&scope[]=running) ordered by finish
-- time or duration. Such jobs have no finish time, so they all share the sort value that sorts last, and their list
-- is in id order; whether any job of a status has a finish time after all is one seek of this index per status
-- (JdbiJobRepository.unfinishedById), after which the list is read in id order instead of sorting every match.
CREATE INDEX jobs_project_status_finished_idx ON jobs (project_id, status, finished_order);
