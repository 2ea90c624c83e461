-- What a job's running subtasks do once its budget is reached: finish, or be stopped.
ALTER TABLE job ADD COLUMN budget_on_exceeded TEXT NOT NULL DEFAULT 'finish-running'
    CHECK (budget_on_exceeded IN ('finish-running', 'stop-running'));

-- One row per build of a base: its setup's compute, priced when the build was recorded, and its
-- layer's size, kept from built_at until garbage collection deletes it (deleted_at). A base
-- rebuilt after a deletion gets a new row. Both are shared by every subtask that used the base
-- and are amortized over them in reports (see docs/cost-model.md).
CREATE TABLE base_build (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    base_hash              TEXT        NOT NULL REFERENCES base_snapshot (hash),
    driver                 TEXT        NOT NULL,
    build_ms               BIGINT      NOT NULL,
    memory_limit_bytes     BIGINT      NOT NULL,  -- of the sandbox that ran the setup
    vcpus                  NUMERIC     NOT NULL,
    memory_gib_second_usd  NUMERIC     NOT NULL,  -- unit prices in force at the build
    vcpu_second_usd        NUMERIC     NOT NULL,
    storage_gib_second_usd NUMERIC     NOT NULL,
    setup_usd              NUMERIC     NOT NULL,  -- round12(GiB x s x memory price) + round12(vCPUs x s x vCPU price)
    size_bytes             BIGINT      NOT NULL,
    built_at               TIMESTAMPTZ NOT NULL,
    deleted_at             TIMESTAMPTZ
);
CREATE INDEX base_build_hash ON base_build (base_hash);

-- Warm-but-idle pool time: what a warm clone used between its cloning and its lease (or its
-- destruction unused), priced when it left the pool. Its amount is allocated, in the same
-- transaction, as 'overhead' cost lines to the jobs that used its base in that period (by their
-- attempts); allocated_usd is what went to jobs, and the rest (no job used the base, e.g. exec-API
-- sandboxes) stays here, unallocated.
CREATE TABLE pool_idle (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    base_hash     TEXT        NOT NULL,
    driver        TEXT        NOT NULL,
    sandbox_id    TEXT        NOT NULL,
    since         TIMESTAMPTZ NOT NULL,
    until         TIMESTAMPTZ NOT NULL,
    active_ms     BIGINT      NOT NULL,
    standby_ms    BIGINT      NOT NULL,
    cpu_ms        BIGINT,
    memory_limit_bytes BIGINT NOT NULL,
    disk_bytes    BIGINT,
    amount_usd    NUMERIC     NOT NULL,
    allocated_usd NUMERIC     NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pool_idle_base ON pool_idle (base_hash, until);

ALTER TABLE cost_line ADD COLUMN pool_idle_id BIGINT REFERENCES pool_idle (id);
-- Aggregates by label read what was recorded, and what succeeded, in a time window.
CREATE INDEX cost_line_recorded ON cost_line (recorded_at);
CREATE INDEX subtask_succeeded_at ON subtask (finished_at) WHERE state = 'SUCCEEDED';
-- Allocation of idle time looks for the attempts of a base's jobs that ran in a period.
CREATE INDEX attempt_job_started ON attempt (job_id, started_at);
