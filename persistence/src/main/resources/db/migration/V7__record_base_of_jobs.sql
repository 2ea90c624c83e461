-- Which base snapshot a job's sandboxes are cloned from, so a snapshot can list the jobs that use it.
-- Set at submission; NULL for jobs submitted before this migration.
ALTER TABLE job ADD COLUMN base_hash TEXT;
CREATE INDEX job_base_hash ON job (base_hash, id DESC) WHERE base_hash IS NOT NULL;

-- A base removed from disk by garbage collection keeps its row (its history, its users), marked DELETED;
-- the next job that needs it builds it again and the row becomes BUILDING, then READY.
ALTER TABLE base_snapshot DROP CONSTRAINT base_snapshot_state_check;
ALTER TABLE base_snapshot ADD CONSTRAINT base_snapshot_state_check
    CHECK (state IN ('BUILDING', 'READY', 'FAILED', 'DELETED'));
ALTER TABLE base_snapshot ADD COLUMN deleted_at TIMESTAMPTZ;
