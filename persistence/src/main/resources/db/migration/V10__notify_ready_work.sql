-- Every Drover process LISTENs on drover_work: a statement that leaves a subtask ready to claim
-- (inserted PENDING, or put back to PENDING with no delay) tells them all when its transaction
-- commits, so that workers on other machines start it at once instead of at their next poll.
-- One notice per transaction: PostgreSQL folds identical notices sent in one transaction.
CREATE FUNCTION drover_notify_ready_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ready WHERE state = 'PENDING' AND (not_before IS NULL OR not_before <= now())) THEN
        PERFORM pg_notify('drover_work', '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER subtask_inserted_ready AFTER INSERT ON subtask
    REFERENCING NEW TABLE AS ready FOR EACH STATEMENT EXECUTE FUNCTION drover_notify_ready_work();

CREATE TRIGGER subtask_updated_ready AFTER UPDATE ON subtask
    REFERENCING NEW TABLE AS ready FOR EACH STATEMENT EXECUTE FUNCTION drover_notify_ready_work();
