package io.drover.persistence.job;

/**
 * The life of a job: SUBMITTED until its first subtask starts, then RUNNING until every subtask is
 * terminal. BUDGET_EXCEEDED: its spend reached a limit of {@code spec.budget}, so its subtasks
 * that had not started were cancelled.
 */
public enum JobState {
    SUBMITTED, RUNNING, SUCCEEDED, FAILED, CANCELLED, BUDGET_EXCEEDED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == BUDGET_EXCEEDED;
    }
}
