-- Pipelines and jobs. Lists and small structures (stages, tags, needs, variables, scripts, the artifacts block) are
-- stored as text in the adapter's own encoding (TextEncoding: a JSON subset); nothing queries inside them.
-- Statuses are GitLab's enum integers (JobStatus.code). Instants are stored with microsecond precision.
-- Listing queries order by the equality columns of their index too (ORDER BY project_id, id DESC): H2 then reads
-- the index in order and stops at the LIMIT instead of sorting every match; PostgreSQL ignores the constant column.
-- No foreign key on project_id: H2 backs every foreign key with an index of its own, and a project_id-only index is
-- one its planner prefers for "newest jobs of a project", reading all of them. A job reaches its project through its
-- pipeline, whose key is enforced.

CREATE SEQUENCE pipeline_id_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE job_id_seq START WITH 1 INCREMENT BY 1;

-- The last pipeline number handed out per project; advanced by compare-and-set so instances never share one.
CREATE TABLE project_pipeline_iids (
    project_id  BIGINT NOT NULL PRIMARY KEY,
    last_iid    BIGINT NOT NULL
);

CREATE TABLE pipelines (
    id               BIGINT        NOT NULL PRIMARY KEY,
    iid              BIGINT        NOT NULL,
    project_id       BIGINT        NOT NULL,
    ref              VARCHAR(1024) NOT NULL,
    tag              BOOLEAN       NOT NULL,
    sha              VARCHAR(64)   NOT NULL,
    commit_title     VARCHAR       NOT NULL,
    commit_message   VARCHAR       NOT NULL,
    author_name      VARCHAR(1024),
    author_email     VARCHAR(1024),
    authored_date    VARCHAR(64),
    committer_name   VARCHAR(1024),
    committer_email  VARCHAR(1024),
    committed_date   VARCHAR(64),
    parent_ids       VARCHAR       NOT NULL,
    source           VARCHAR(64)   NOT NULL,
    status           SMALLINT      NOT NULL,
    stages           VARCHAR       NOT NULL,
    variables        VARCHAR       NOT NULL,
    user_id          BIGINT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    lock_version     BIGINT        NOT NULL
);
CREATE UNIQUE INDEX pipelines_project_iid_key ON pipelines (project_id, iid);
CREATE INDEX pipelines_project_id_idx ON pipelines (project_id, id DESC);
-- latest successful pipeline of a ref (artifact locking, "download from the latest successful pipeline")
CREATE INDEX pipelines_project_ref_status_idx ON pipelines (project_id, ref, status, id DESC);

CREATE TABLE jobs (
    id                       BIGINT        NOT NULL PRIMARY KEY,
    project_id               BIGINT        NOT NULL,
    pipeline_id              BIGINT        NOT NULL,
    -- the definition (JobSpec)
    name                     VARCHAR(255)  NOT NULL,
    stage                    VARCHAR(255)  NOT NULL,
    stage_idx                INTEGER       NOT NULL,
    when_condition           VARCHAR(32)   NOT NULL,
    start_in                 VARCHAR(64),
    allow_failure            BOOLEAN       NOT NULL,
    dag                      BOOLEAN       NOT NULL,
    needs                    VARCHAR       NOT NULL,
    tags                     VARCHAR       NOT NULL,
    variables                VARCHAR       NOT NULL,
    resource_group           VARCHAR(255),
    retry_max                SMALLINT      NOT NULL,
    retry_when               VARCHAR       NOT NULL,
    debug_trace              BOOLEAN       NOT NULL,
    -- the execution (JobExecution)
    image                    VARCHAR(2048),
    services                 VARCHAR       NOT NULL,
    before_script            VARCHAR       NOT NULL,
    script                   VARCHAR       NOT NULL,
    after_script             VARCHAR       NOT NULL,
    dependencies             VARCHAR,
    artifacts_spec           VARCHAR,
    timeout_seconds          INTEGER,
    -- the run
    status                   SMALLINT      NOT NULL,
    ref                      VARCHAR(1024) NOT NULL,
    tag                      BOOLEAN       NOT NULL,
    user_id                  BIGINT,
    runner_id                BIGINT,
    coverage                 DOUBLE PRECISION,
    failure_reason           VARCHAR(64),
    exit_code                INTEGER,
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    queued_at                TIMESTAMP WITH TIME ZONE,
    started_at               TIMESTAMP WITH TIME ZONE,
    finished_at              TIMESTAMP WITH TIME ZONE,
    scheduled_at             TIMESTAMP WITH TIME ZONE,
    waiting_for_resource_at  TIMESTAMP WITH TIME ZONE,
    updated_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    erased_at                TIMESTAMP WITH TIME ZONE,
    erased_by                BIGINT,
    artifacts_expire_at      TIMESTAMP WITH TIME ZONE,
    retried                  BOOLEAN       NOT NULL,
    retried_from             BIGINT,
    auto_retries             INTEGER       NOT NULL,
    token_digest             VARCHAR(128),
    degenerated              BOOLEAN       NOT NULL,
    lock_version             BIGINT        NOT NULL
);
-- GET /projects/:id/jobs, newest first (offset and keyset pages). Descending because H2 does not walk an ascending
-- index backwards: without it, the newest 100 of a million jobs would be a sort of all of them.
CREATE INDEX jobs_project_id_idx ON jobs (project_id, id DESC);
-- the same filtered by scope
CREATE INDEX jobs_project_status_id_idx ON jobs (project_id, status, id DESC);
-- GET /projects/:id/pipelines/:pipeline_id/jobs, newest first, and pipeline processing
CREATE INDEX jobs_pipeline_id_idx ON jobs (pipeline_id, id DESC);
-- the latest job of a name in a pipeline (retried ones are filtered on the few rows of one name)
CREATE INDEX jobs_pipeline_name_idx ON jobs (pipeline_id, name, id);
-- CI job token authentication; NULLs (jobs without a live token) do not collide
CREATE UNIQUE INDEX jobs_token_digest_key ON jobs (token_digest);
-- the runner queue: pending jobs oldest first
CREATE INDEX jobs_status_id_idx ON jobs (status, id);
-- delayed jobs whose time has come
CREATE INDEX jobs_status_scheduled_at_idx ON jobs (status, scheduled_at);
-- the stuck-job sweeper
CREATE INDEX jobs_status_updated_at_idx ON jobs (status, updated_at);
-- retry lineage
CREATE INDEX jobs_retried_from_idx ON jobs (retried_from);

ALTER TABLE jobs ADD CONSTRAINT jobs_pipeline_fk FOREIGN KEY (pipeline_id) REFERENCES pipelines (id);
