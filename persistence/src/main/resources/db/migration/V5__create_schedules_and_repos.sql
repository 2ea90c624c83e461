-- Cron schedules and git repositories of committed job specs.
-- The schedule table is the truth; Quartz's QRTZ_* triggers (V3) mirror it and are reconciled from it.

CREATE TABLE repo (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url                TEXT        NOT NULL,
    branch             TEXT        NOT NULL,
    path_glob          TEXT        NOT NULL,
    secret             TEXT,                               -- the NAME of a configured secret, never its value
    last_sync_commit   TEXT,
    last_sync_at       TIMESTAMPTZ,
    last_sync_error    TEXT,                               -- the sync as a whole failed (clone, fetch, branch)
    last_sync_problems JSONB       NOT NULL DEFAULT '[]',  -- per file and line: [{path, line, field, message}]
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    version            BIGINT      NOT NULL DEFAULT 0,
    UNIQUE (url, branch, path_glob)
);

CREATE TABLE schedule (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL,
    spec        JSON        NOT NULL,                      -- the job spec document, schedule included
    cron        TEXT        NOT NULL,
    time_zone   TEXT        NOT NULL,
    overlap     TEXT        NOT NULL CHECK (overlap IN ('ALLOW', 'FORBID', 'REPLACE')),
    misfire     TEXT        NOT NULL CHECK (misfire IN ('FIRE_ONCE', 'SKIP')),
    suspended   BOOLEAN     NOT NULL DEFAULT FALSE,
    repo_id     BIGINT      REFERENCES repo (id) ON DELETE CASCADE,   -- NULL: created over REST
    repo_path   TEXT,
    repo_line   INT,
    repo_commit TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    version     BIGINT      NOT NULL DEFAULT 0,
    -- Two instances syncing one repo upsert on this key, so a spec never becomes two schedules.
    UNIQUE (repo_id, name)
);
CREATE UNIQUE INDEX schedule_rest_name ON schedule (name) WHERE repo_id IS NULL;

CREATE TABLE schedule_fire (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule_id  BIGINT      NOT NULL REFERENCES schedule (id) ON DELETE CASCADE,
    trigger      TEXT        NOT NULL CHECK (trigger IN ('CRON', 'MANUAL')),
    scheduled_at TIMESTAMPTZ,
    fired_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    outcome      TEXT        NOT NULL CHECK (outcome IN ('STARTED', 'SKIPPED', 'FAILED')),
    reason       TEXT,
    job_id       BIGINT      REFERENCES job (id),
    instance     TEXT
);
CREATE INDEX schedule_fire_recent ON schedule_fire (schedule_id, id DESC);

-- Every valid spec of a repo's last sync, runnable by name; scheduled ones also have a schedule row.
CREATE TABLE repo_spec (
    repo_id    BIGINT      NOT NULL REFERENCES repo (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL,
    path       TEXT        NOT NULL,
    line       INT         NOT NULL,
    commit     TEXT        NOT NULL,
    spec       JSON        NOT NULL,
    scheduled  BOOLEAN     NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repo_id, name)
);

ALTER TABLE job ADD COLUMN schedule_id BIGINT REFERENCES schedule (id) ON DELETE SET NULL;
ALTER TABLE job ADD COLUMN source_commit TEXT;   -- the git commit a repo spec came from
CREATE INDEX job_schedule_recent ON job (schedule_id, id DESC) WHERE schedule_id IS NOT NULL;
