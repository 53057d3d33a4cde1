-- Issue 19: the event log of job and pipeline status changes (an outbox written in the transaction of the change),
-- project webhooks, their delivery queue and log, and the instance settings an administrator changes.

-- Each project's last event number. Appending an event updates this row, which holds the row lock until commit:
-- a project's events therefore commit in number order, and a reader that sees number n has seen every smaller one.
CREATE TABLE project_event_sequences (
    project_id  BIGINT NOT NULL PRIMARY KEY,
    last_seq    BIGINT NOT NULL
);

CREATE SEQUENCE project_event_id_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE project_events (
    id               BIGINT       NOT NULL PRIMARY KEY,
    project_id       BIGINT       NOT NULL,
    seq              BIGINT       NOT NULL,
    kind             VARCHAR(16)  NOT NULL,
    job_id           BIGINT,
    pipeline_id      BIGINT       NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    previous_status  VARCHAR(32),
    uuid             VARCHAR(36)  NOT NULL,
    recorded_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX project_events_project_seq_key ON project_events (project_id, seq);
CREATE INDEX project_events_recorded_at_idx ON project_events (recorded_at);

CREATE SEQUENCE project_hook_id_seq START WITH 1 INCREMENT BY 1;

-- triggers: the subscribed events as a comma-separated list of GitLab's attribute names (job_events,...).
CREATE TABLE project_hooks (
    id                          BIGINT        NOT NULL PRIMARY KEY,
    project_id                  BIGINT        NOT NULL REFERENCES projects (id),
    url                         VARCHAR(2048) NOT NULL,
    token                       VARCHAR(2048),
    name                        VARCHAR(255),
    description                 VARCHAR(2048),
    triggers                    VARCHAR(1024) NOT NULL,
    job_events                  BOOLEAN       NOT NULL,
    pipeline_events             BOOLEAN       NOT NULL,
    enable_ssl_verification     BOOLEAN       NOT NULL,
    push_events_branch_filter   VARCHAR(2048),
    branch_filter_strategy      VARCHAR(32)   NOT NULL,
    recent_failures             INTEGER       NOT NULL,
    disabled_until              TIMESTAMP WITH TIME ZONE,
    created_at                  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX project_hooks_project_idx ON project_hooks (project_id, id);

CREATE SEQUENCE hook_delivery_id_seq START WITH 1 INCREMENT BY 1;

-- One event for one hook. lane: the hook's ordering lane (job:<id> or pipeline:<id>); the event's columns are copied
-- so a delivery outlives the pruning of its event. lease_owner/lease_until: the instance sending it right now.
CREATE TABLE hook_deliveries (
    id                BIGINT       NOT NULL PRIMARY KEY,
    hook_id           BIGINT       NOT NULL REFERENCES project_hooks (id) ON DELETE CASCADE,
    lane              VARCHAR(64)  NOT NULL,
    event_id          BIGINT       NOT NULL,
    project_id        BIGINT       NOT NULL,
    seq               BIGINT       NOT NULL,
    kind              VARCHAR(16)  NOT NULL,
    job_id            BIGINT,
    pipeline_id       BIGINT       NOT NULL,
    status            VARCHAR(32)  NOT NULL,
    previous_status   VARCHAR(32),
    event_uuid        VARCHAR(36)  NOT NULL,
    recorded_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    idempotency_key   VARCHAR(36)  NOT NULL,
    delivered         BOOLEAN      NOT NULL,
    attempts          INTEGER      NOT NULL,
    next_attempt_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner       VARCHAR(64),
    lease_until       TIMESTAMP WITH TIME ZONE,
    request_body      TEXT,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX hook_deliveries_due_idx ON hook_deliveries (delivered, next_attempt_at);
CREATE INDEX hook_deliveries_lane_idx ON hook_deliveries (hook_id, lane, delivered, id);

CREATE SEQUENCE web_hook_log_id_seq START WITH 1 INCREMENT BY 1;

-- Headers are kept in the adapter's text encoding of a map.
CREATE TABLE web_hook_logs (
    id                      BIGINT        NOT NULL PRIMARY KEY,
    hook_id                 BIGINT        NOT NULL REFERENCES project_hooks (id) ON DELETE CASCADE,
    trigger_name            VARCHAR(64)   NOT NULL,
    url                     VARCHAR(2048) NOT NULL,
    request_headers         TEXT          NOT NULL,
    request_data            TEXT,
    response_headers        TEXT          NOT NULL,
    response_body           TEXT          NOT NULL,
    response_status         VARCHAR(32)   NOT NULL,
    status_code             INTEGER,
    execution_duration      DOUBLE PRECISION NOT NULL,
    internal_error_message  TEXT,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX web_hook_logs_hook_idx ON web_hook_logs (hook_id, id);
CREATE INDEX web_hook_logs_created_at_idx ON web_hook_logs (created_at);

-- One row: the instance settings (GitLab's application_settings).
CREATE TABLE application_settings (
    id                                                  INTEGER NOT NULL PRIMARY KEY,
    allow_local_requests_from_web_hooks_and_services    BOOLEAN NOT NULL
);
INSERT INTO application_settings (id, allow_local_requests_from_web_hooks_and_services) VALUES (1, FALSE);
