package io.drover.persistence.job;

/** The life of a job: SUBMITTED until its first subtask starts, then RUNNING until every subtask is terminal. */
public enum JobState {
    SUBMITTED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
