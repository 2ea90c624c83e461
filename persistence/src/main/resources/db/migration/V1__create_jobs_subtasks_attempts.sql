-- Jobs, their subtasks, and every attempt at running a subtask.
-- State columns are TEXT with CHECK constraints so that a new state is a one-line migration.

CREATE TABLE job (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT        NOT NULL,
    state            TEXT        NOT NULL DEFAULT 'SUBMITTED'
                     CHECK (state IN ('SUBMITTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    spec             JSON        NOT NULL,              -- the validated spec; JSON keeps the user's key order
    task             JSONB       NOT NULL,              -- what a worker needs to run a subtask
    labels           JSONB       NOT NULL DEFAULT '{}',
    source           TEXT        NOT NULL DEFAULT 'rest',
    subtask_count    INT,                               -- NULL until the fan-out is expanded
    cancel_requested BOOLEAN     NOT NULL DEFAULT FALSE,
    error            TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    version          BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX job_state_id ON job (state, id DESC);
CREATE INDEX job_unexpanded ON job (id) WHERE subtask_count IS NULL AND state = 'SUBMITTED';

CREATE TABLE subtask (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      BIGINT      NOT NULL REFERENCES job (id),
    idx         INT         NOT NULL,
    item        JSON        NOT NULL,                  -- JSON keeps the order of the item's keys
    state       TEXT        NOT NULL DEFAULT 'PENDING'
                CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    attempts    INT         NOT NULL DEFAULT 0,
    not_before  TIMESTAMPTZ,
    owner       TEXT,
    exit_code   INT,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    duration_ms BIGINT,
    version     BIGINT      NOT NULL DEFAULT 0,
    UNIQUE (job_id, idx)
);
-- The claim scans only pending rows, oldest first.
CREATE INDEX subtask_pending ON subtask (id) WHERE state = 'PENDING';
CREATE INDEX subtask_job_state ON subtask (job_id, state, idx);

CREATE TABLE attempt (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subtask_id   BIGINT      NOT NULL REFERENCES subtask (id),
    job_id       BIGINT      NOT NULL REFERENCES job (id),
    number       INT         NOT NULL,
    owner        TEXT        NOT NULL,
    state        TEXT        NOT NULL DEFAULT 'RUNNING'
                 CHECK (state IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST')),
    failure      TEXT,                                  -- cause class when not SUCCEEDED
    exit_code    INT,
    sandbox_id   TEXT,
    log_path     TEXT,
    output_tail  TEXT,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    version      BIGINT      NOT NULL DEFAULT 0,
    UNIQUE (subtask_id, number)
);
CREATE INDEX attempt_running ON attempt (heartbeat_at) WHERE state = 'RUNNING';
CREATE INDEX attempt_owner_running ON attempt (owner) WHERE state = 'RUNNING';
