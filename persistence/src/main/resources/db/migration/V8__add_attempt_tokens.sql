-- Attempt-scoped tokens: each attempt's task calls the LLM gateway with a random secret; only its
-- SHA-256 is kept, so that every Drover instance sharing this database can authenticate it. A token
-- works while its attempt is RUNNING (the worker also clears it when the attempt ends).
ALTER TABLE attempt ADD COLUMN token_sha256 BYTEA;
CREATE INDEX attempt_token_running ON attempt (token_sha256) WHERE state = 'RUNNING' AND token_sha256 IS NOT NULL;

