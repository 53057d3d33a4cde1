-- Each project's stored .gitlab-ci.yml (PUT /projects/:id/ci_config): what pipeline creation runs when the request
-- brings no configuration. TEXT is unbounded on PostgreSQL and a character large object on H2, whose VARCHAR stops
-- at a million characters while GitLab accepts configurations of 2 MiB.

CREATE TABLE project_ci_configs (
    project_id  BIGINT                   NOT NULL PRIMARY KEY,
    content     TEXT                     NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
