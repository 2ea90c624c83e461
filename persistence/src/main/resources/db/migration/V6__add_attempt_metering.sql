-- What each attempt's sandbox used, as metered when the attempt ended: the inputs of its cost
-- lines and of the counterfactual bills. NULL when the attempt never got a sandbox.
ALTER TABLE attempt
    ADD COLUMN active_ms          BIGINT,
    ADD COLUMN standby_ms         BIGINT,
    ADD COLUMN cpu_ms             BIGINT,
    ADD COLUMN memory_limit_bytes BIGINT,
    ADD COLUMN vcpus              NUMERIC,
    ADD COLUMN disk_bytes         BIGINT,
    ADD COLUMN setup_ms           BIGINT,                 -- build time of the base the sandbox was cloned from
    ADD COLUMN usage_warnings     INT NOT NULL DEFAULT 0, -- malformed or unpriced lines of the usage file
    ADD COLUMN usage_warning      TEXT;                   -- the first few, for users

-- Tool lines carry the summed latency of their calls.
ALTER TABLE cost_line ADD COLUMN duration_ms BIGINT;
CREATE INDEX cost_line_subtask ON cost_line (subtask_id);
