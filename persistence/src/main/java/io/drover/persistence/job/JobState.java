package io.drover.persistence.job;

import io.drover.persistence.state.Transition;
import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a job: SUBMITTED until its first subtask starts, then RUNNING until every subtask is
 * terminal. BUDGET_EXCEEDED: its spend reached a limit of {@code spec.budget}, so its subtasks
 * that had not started were cancelled. Its moves are {@link JobTransition}'s.
 */
public enum JobState {
    SUBMITTED, RUNNING, SUCCEEDED, FAILED, CANCELLED, BUDGET_EXCEEDED;

    /** A job is stored in this state. */
    public static final JobState INITIAL = SUBMITTED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == BUDGET_EXCEEDED;
    }

    public boolean canMoveTo(JobState next) {
        return Transition.allows(JobTransition.values(), this, next);
    }

    /** The states of a job that has not ended: it may still be split, cancelled or run. */
    public static Set<JobState> active() {
        return EnumSet.of(SUBMITTED, RUNNING);
    }
}
