-- Personal access tokens with GitLab's lifecycle: when a token last authenticated a request (kept to ten minutes,
-- listed and filtered by the token API, and what tells a dormant user from an active one), and which token a rotation
-- replaced, so that presenting a rotated-away token again revokes what was rotated from it (GitLab's reuse detection).

ALTER TABLE personal_access_tokens ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE personal_access_tokens ADD COLUMN previous_token_id BIGINT;
CREATE INDEX personal_access_tokens_previous_idx ON personal_access_tokens (previous_token_id);
