-- Base snapshots: the setup of a sandbox, paid once per content hash.
CREATE TABLE base_snapshot (
    hash         TEXT PRIMARY KEY,
    driver       TEXT        NOT NULL,
    state        TEXT        NOT NULL CHECK (state IN ('BUILDING', 'READY', 'FAILED')),
    spec         JSONB       NOT NULL,
    location     TEXT,
    size_bytes   BIGINT,
    build_ms     BIGINT,
    builder      TEXT,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    ready_at     TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    version      BIGINT      NOT NULL DEFAULT 0
);

-- Every cost an attempt (or a job, for shared costs) incurred, priced when recorded:
-- a later price change never rewrites history.
CREATE TABLE cost_line (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id         BIGINT      NOT NULL REFERENCES job (id),
    subtask_id     BIGINT REFERENCES subtask (id),
    attempt_id     BIGINT REFERENCES attempt (id),
    dimension      TEXT        NOT NULL
                   CHECK (dimension IN ('compute', 'tokens', 'tools', 'storage', 'network', 'overhead')),
    item           TEXT        NOT NULL,
    quantity       NUMERIC     NOT NULL,
    unit           TEXT        NOT NULL,
    unit_price_usd NUMERIC     NOT NULL,
    amount_usd     NUMERIC     NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cost_line_job ON cost_line (job_id);
CREATE INDEX cost_line_attempt ON cost_line (attempt_id);
