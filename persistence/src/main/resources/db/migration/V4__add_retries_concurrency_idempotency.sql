-- Retries are scheduled work: a failed attempt puts its subtask back to PENDING with not_before.
-- The job carries what set-based SQL needs to decide without reading the spec: its concurrency
-- limit, priority, and whether lost attempts may be retried beyond the infrastructure budget.
ALTER TABLE job
    ADD COLUMN idempotency_key TEXT,
    ADD COLUMN request_hash    TEXT,
    ADD COLUMN concurrency     INT CHECK (concurrency IS NULL OR concurrency >= 1),
    ADD COLUMN priority        INT     NOT NULL DEFAULT 0,
    ADD COLUMN max_attempts    INT     NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
    ADD COLUMN retry_lost      BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX job_idempotency_key ON job (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX job_active ON job (priority DESC, id) WHERE state IN ('SUBMITTED', 'RUNNING');

ALTER TABLE subtask ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
