package io.drover.persistence.job;

import static io.drover.persistence.job.JobState.BUDGET_EXCEEDED;
import static io.drover.persistence.job.JobState.CANCELLED;
import static io.drover.persistence.job.JobState.FAILED;
import static io.drover.persistence.job.JobState.RUNNING;
import static io.drover.persistence.job.JobState.SUBMITTED;
import static io.drover.persistence.job.JobState.SUCCEEDED;

import io.drover.persistence.state.Transition;
import java.util.EnumSet;
import java.util.Set;

/** Every move a job may make, and what makes it. */
public enum JobTransition implements Transition<JobState> {
    /** A claim started its first subtask. */
    START(EnumSet.of(SUBMITTED), EnumSet.of(RUNNING)),
    /** None of its subtasks is pending or running any more (or it was cancelled before its split). */
    END(EnumSet.of(SUBMITTED, RUNNING), EnumSet.of(SUCCEEDED, FAILED, CANCELLED, BUDGET_EXCEEDED)),
    /** Its fan-out could not be expanded. */
    FAIL(EnumSet.of(SUBMITTED, RUNNING), EnumSet.of(FAILED)),
    /** A user runs some of its failed or cancelled subtasks again; a job over budget stays ended. */
    REOPEN(EnumSet.of(SUCCEEDED, FAILED, CANCELLED), EnumSet.of(RUNNING));

    private final Set<JobState> from;
    private final Set<JobState> to;

    JobTransition(Set<JobState> from, Set<JobState> to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public Set<JobState> from() {
        return EnumSet.copyOf(from);
    }

    @Override
    public Set<JobState> to() {
        return EnumSet.copyOf(to);
    }
}
