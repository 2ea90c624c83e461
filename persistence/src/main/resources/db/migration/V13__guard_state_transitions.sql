-- The database itself refuses a state change that its machine does not allow, whichever statement
-- makes it. The moves are those of persistence's JobTransition, SubtaskTransition and
-- AttemptTransition, which the stores' statements are written from; StateGuardTest keeps this
-- table equal to them. A row trigger that fires only when the state changes: heartbeats and
-- flags (cancel_requested, budget_exceeded) never call it.
CREATE TABLE state_transition (
    machine    TEXT NOT NULL,   -- the table whose state moves
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    PRIMARY KEY (machine, from_state, to_state)
);

INSERT INTO state_transition (machine, from_state, to_state) VALUES
    ('job', 'SUBMITTED', 'RUNNING'),
    ('job', 'SUBMITTED', 'SUCCEEDED'), ('job', 'SUBMITTED', 'FAILED'), ('job', 'SUBMITTED', 'CANCELLED'),
    ('job', 'SUBMITTED', 'BUDGET_EXCEEDED'),
    ('job', 'RUNNING', 'SUCCEEDED'), ('job', 'RUNNING', 'FAILED'), ('job', 'RUNNING', 'CANCELLED'),
    ('job', 'RUNNING', 'BUDGET_EXCEEDED'),
    ('job', 'SUCCEEDED', 'RUNNING'), ('job', 'FAILED', 'RUNNING'), ('job', 'CANCELLED', 'RUNNING'),
    ('subtask', 'PENDING', 'RUNNING'), ('subtask', 'PENDING', 'CANCELLED'),
    ('subtask', 'RUNNING', 'SUCCEEDED'), ('subtask', 'RUNNING', 'FAILED'), ('subtask', 'RUNNING', 'CANCELLED'),
    ('subtask', 'RUNNING', 'PENDING'),
    ('subtask', 'FAILED', 'PENDING'), ('subtask', 'CANCELLED', 'PENDING'),
    ('attempt', 'RUNNING', 'SUCCEEDED'), ('attempt', 'RUNNING', 'FAILED'), ('attempt', 'RUNNING', 'CANCELLED'),
    ('attempt', 'RUNNING', 'LOST');

CREATE FUNCTION drover_guard_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM state_transition t
                    WHERE t.machine = TG_TABLE_NAME AND t.from_state = OLD.state AND t.to_state = NEW.state) THEN
        RAISE EXCEPTION '% % may not move from % to %', TG_TABLE_NAME, OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation',
                  HINT = 'the allowed moves are in state_transition and persistence''s *Transition types';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER job_state_guard BEFORE UPDATE OF state ON job
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION drover_guard_state();
CREATE TRIGGER subtask_state_guard BEFORE UPDATE OF state ON subtask
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION drover_guard_state();
CREATE TRIGGER attempt_state_guard BEFORE UPDATE OF state ON attempt
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION drover_guard_state();
