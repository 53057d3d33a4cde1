-- Projects, users with their personal access tokens, memberships, runners.
-- One file for H2 (2.x, file mode) and PostgreSQL (14+): portable types only.
-- Case-insensitive uniqueness (GitLab resolves paths and usernames regardless of case) is a unique index on a
-- lowercased copy that the adapter writes, because H2 has no expression indexes.
-- Foreign keys hold what belongs to what (a token to its user, a member to its project); references that GitLab
-- nullifies rather than cascades (a job's user or runner) are plain columns.

CREATE SEQUENCE project_id_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE user_id_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE access_token_id_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE runner_id_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE projects (
    id                          BIGINT       NOT NULL PRIMARY KEY,
    name                        VARCHAR(255) NOT NULL,
    path                        VARCHAR(255) NOT NULL,
    namespace_path              VARCHAR(2048) NOT NULL,
    full_path                   VARCHAR(2304) NOT NULL,
    full_path_lower             VARCHAR(2304) NOT NULL,
    visibility_level            SMALLINT     NOT NULL,
    public_builds               BOOLEAN      NOT NULL,
    ci_job_token_scope_enabled  BOOLEAN      NOT NULL,
    created_at                  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX projects_full_path_lower_key ON projects (full_path_lower);

CREATE TABLE users (
    id              BIGINT       NOT NULL PRIMARY KEY,
    username        VARCHAR(255) NOT NULL,
    username_lower  VARCHAR(255) NOT NULL,
    name            VARCHAR(255) NOT NULL,
    email           VARCHAR(255),
    admin           BOOLEAN      NOT NULL,
    bot             BOOLEAN      NOT NULL,
    state           VARCHAR(32)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX users_username_lower_key ON users (username_lower);

-- Only the SHA-256 digest (hex) of a token is stored; the secret never reaches the database.
CREATE TABLE personal_access_tokens (
    id          BIGINT       NOT NULL PRIMARY KEY,
    user_id     BIGINT       NOT NULL REFERENCES users (id),
    name        VARCHAR(255) NOT NULL,
    digest      VARCHAR(128) NOT NULL,
    scopes      VARCHAR(255) NOT NULL,
    expires_at  DATE,
    revoked     BOOLEAN      NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX personal_access_tokens_digest_key ON personal_access_tokens (digest);
CREATE INDEX personal_access_tokens_user_idx ON personal_access_tokens (user_id, id);

CREATE TABLE project_members (
    project_id    BIGINT   NOT NULL REFERENCES projects (id),
    user_id       BIGINT   NOT NULL REFERENCES users (id),
    access_level  SMALLINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

CREATE TABLE runners (
    id               BIGINT        NOT NULL PRIMARY KEY,
    description      VARCHAR(2048) NOT NULL,
    runner_type      VARCHAR(32)   NOT NULL,
    project_id       BIGINT REFERENCES projects (id),
    active           BOOLEAN       NOT NULL,
    run_untagged     BOOLEAN       NOT NULL,
    graceful_cancel  BOOLEAN       NOT NULL,
    token_digest     VARCHAR(128)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    contacted_at     TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX runners_token_digest_key ON runners (token_digest);

CREATE TABLE runner_tags (
    runner_id  BIGINT       NOT NULL REFERENCES runners (id) ON DELETE CASCADE,
    tag        VARCHAR(255) NOT NULL,
    PRIMARY KEY (runner_id, tag)
);
