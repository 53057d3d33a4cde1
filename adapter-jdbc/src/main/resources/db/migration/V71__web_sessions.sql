-- Signed-in browsers (issue 16): in the database so that every instance serves them. A session is found by the
-- SHA-256 digest (hex) of its id; the id itself, the browser's cookie, is never stored. A session signed in with a
-- personal access token names it (a plain column: tokens are revoked, not deleted) and ends when the token does.
-- The indexes serve signing a user out everywhere and the sweep of expired sessions.

CREATE TABLE web_sessions (
    id_digest     VARCHAR(64)              NOT NULL PRIMARY KEY,
    user_id       BIGINT                   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method        VARCHAR(16)              NOT NULL,
    token_id      BIGINT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX web_sessions_user_id ON web_sessions (user_id);
CREATE INDEX web_sessions_last_seen_at ON web_sessions (last_seen_at);
CREATE INDEX web_sessions_created_at ON web_sessions (created_at);
