-- Users' passwords (issue 16: sign-in to the web pages), as Argon2id hashes in PHC string form
-- ($argon2id$v=19$m=...,t=...,p=...$salt$hash: the parameters travel with the hash, so they can be raised later).
-- Kept apart from users so that nothing reading a user ever reads a hash. Never the password itself.
-- failed_attempts counts wrong passwords in a row; reaching the limit sets locked_until (GitLab: 10, 10 minutes).

CREATE TABLE user_passwords (
    user_id          BIGINT                   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash    VARCHAR(512)             NOT NULL,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_attempts  INTEGER                  NOT NULL,
    locked_until     TIMESTAMP WITH TIME ZONE
);
