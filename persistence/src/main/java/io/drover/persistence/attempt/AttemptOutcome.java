package io.drover.persistence.attempt;

/** How an attempt ended; the subtask takes the same terminal state. */
public enum AttemptOutcome {
    SUCCEEDED, FAILED, CANCELLED
}
