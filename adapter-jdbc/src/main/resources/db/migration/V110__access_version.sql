-- Issue 18, the read path: one row whose version every write that can change who may do what bumps, in the same
-- transaction as the write (users, their personal access tokens, project memberships, projects). Each instance keeps
-- tokens, users and project roles in memory only as long as this version is the one it read at the start of the
-- request, so a revocation, a block or a removed member made through any instance holds on every instance from the
-- next request on. One row, bumped before the change: writers queue on it in one order, never in a deadlock.

CREATE TABLE access_version (
    id       INT    NOT NULL PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO access_version (id, version) VALUES (1, 0);
