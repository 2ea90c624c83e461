package io.drover.persistence.attempt;

/**
 * How an attempt ended. SUCCEEDED, FAILED and CANCELLED are the task's end, which its subtask takes
 * (or PENDING, for a failure its retry policy retries); LOST is the machine's failure, not the task's
 * (its sandbox could not be made or was lost), and runs the subtask again like a lost worker.
 */
public enum AttemptOutcome {
    SUCCEEDED, FAILED, CANCELLED, LOST
}
