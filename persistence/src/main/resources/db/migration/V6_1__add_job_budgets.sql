-- Budgets: a job stops dispatching once what it spent reaches its limits, and ends BUDGET_EXCEEDED.
ALTER TABLE job
    ADD COLUMN max_cost_usd             NUMERIC CHECK (max_cost_usd IS NULL OR max_cost_usd > 0),
    ADD COLUMN max_cost_per_subtask_usd NUMERIC CHECK (max_cost_per_subtask_usd IS NULL OR max_cost_per_subtask_usd > 0),
    ADD COLUMN budget_exceeded          BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE job DROP CONSTRAINT job_state_check;
ALTER TABLE job ADD CONSTRAINT job_state_check
    CHECK (state IN ('SUBMITTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'BUDGET_EXCEEDED'));
