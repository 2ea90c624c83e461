-- Tenants and the API's bearer tokens (docs/security.md). Every job, schedule, repository, sandbox
-- and base snapshot names its tenant; subtasks, attempts, cost lines and logs belong to their job's.
-- Rows made before tenants existed belong to the tenant 'default', the admin token's.

CREATE TABLE tenant (
    name                     TEXT        PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    max_running_subtasks     INT         CHECK (max_running_subtasks > 0),    -- NULL: no limit
    max_open_sandboxes       INT         CHECK (max_open_sandboxes > 0),
    monthly_budget_usd       NUMERIC(18, 6) CHECK (monthly_budget_usd >= 0),
    submits_per_minute       INT         CHECK (submits_per_minute > 0),
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO tenant (name) VALUES ('default');

-- Only the SHA-256 of a token is kept; prefix is its first characters, to tell tokens apart in lists.
CREATE TABLE api_token (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant       TEXT        NOT NULL REFERENCES tenant (name),
    role         TEXT        NOT NULL CHECK (role IN ('ADMIN', 'SUBMIT', 'READ')),
    name         TEXT,
    prefix       TEXT        NOT NULL,
    token_sha256 BYTEA       NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_token_by_tenant ON api_token (tenant);

ALTER TABLE job ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenant (name);
ALTER TABLE schedule ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenant (name);
ALTER TABLE repo ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenant (name);
ALTER TABLE sandbox ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenant (name);
ALTER TABLE base_snapshot ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default' REFERENCES tenant (name);

CREATE INDEX job_by_tenant ON job (tenant, id DESC);
-- The submit rate counts the tenant's jobs of the last minute.
CREATE INDEX job_created_by_tenant ON job (tenant, created_at);
-- Running subtasks per tenant are counted by the claim (max_running_subtasks).
CREATE INDEX job_active_by_tenant ON job (tenant) WHERE state IN ('SUBMITTED', 'RUNNING');

-- Names and keys are unique within a tenant, so one tenant's names say nothing about another's.
DROP INDEX job_idempotency_key;
CREATE UNIQUE INDEX job_idempotency_key ON job (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
DROP INDEX schedule_rest_name;
CREATE UNIQUE INDEX schedule_rest_name ON schedule (tenant, name) WHERE repo_id IS NULL;
ALTER TABLE repo DROP CONSTRAINT repo_url_branch_path_glob_key;
ALTER TABLE repo ADD CONSTRAINT repo_tenant_url_branch_path_glob_key UNIQUE (tenant, url, branch, path_glob);
