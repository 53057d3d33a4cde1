-- Issue 14: what GitLab reads from a repository, told to Jobyard instead.
-- A project's description and default branch (CI_PROJECT_DESCRIPTION, CI_DEFAULT_BRANCH; NULL is GitLab's value for
-- "none given": no description, and the instance's default branch name), and the git repository its jobs build
-- (NULL: none, the jobs run without a checkout).
ALTER TABLE projects ADD COLUMN description VARCHAR(2000);
ALTER TABLE projects ADD COLUMN default_branch VARCHAR(255);
ALTER TABLE projects ADD COLUMN repository_url VARCHAR(2048);
-- A pipeline's before-sha (NULL: GitLab's blank sha) and the repository it builds instead of its project's.
ALTER TABLE pipelines ADD COLUMN before_sha VARCHAR(64);
ALTER TABLE pipelines ADD COLUMN repository_url VARCHAR(2048);
