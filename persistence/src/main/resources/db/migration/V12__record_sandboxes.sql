-- Exec-API sandboxes (opened through the API, lent to an attempt's agent, or kept after a failed
-- attempt) live in the process that made them. Each is recorded here with that owner instance, so
-- that any api replica can check a token (only its SHA-256 is kept) and forward the request to the
-- owner's address, or say clearly that the owner is gone. state is the last one the owner saw;
-- LOST means its owner went away with it (closed_at is then when that was found).
CREATE TABLE sandbox (
    id            TEXT        PRIMARY KEY,
    owner         TEXT        NOT NULL,
    driver        TEXT        NOT NULL,
    base_hash     TEXT        NOT NULL,
    kind          TEXT        NOT NULL CHECK (kind IN ('OPEN', 'LENT', 'KEPT')),
    token_sha256  BYTEA       NOT NULL,
    state         TEXT        NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ,
    closed_at     TIMESTAMPTZ
);

CREATE INDEX sandbox_open_by_owner ON sandbox (owner) WHERE closed_at IS NULL;
CREATE INDEX sandbox_open_by_token ON sandbox (token_sha256) WHERE closed_at IS NULL;

-- The sandbox drivers that passed their preflight on an instance (comma list; NULL: it runs no
-- sandbox), so that an api replica without drivers knows which workers to open a sandbox on.
ALTER TABLE instance ADD COLUMN sandbox_drivers TEXT;
