package io.drover.persistence.subtask;

import static io.drover.persistence.subtask.SubtaskState.CANCELLED;
import static io.drover.persistence.subtask.SubtaskState.FAILED;
import static io.drover.persistence.subtask.SubtaskState.PENDING;
import static io.drover.persistence.subtask.SubtaskState.RUNNING;
import static io.drover.persistence.subtask.SubtaskState.SUCCEEDED;

import io.drover.persistence.state.Transition;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every move a subtask may make, and what makes it. A running subtask asked to stop (a cancel, or
 * a budget with {@code onExceeded: stop-running}) stays RUNNING with {@code cancel_requested} until
 * its attempt ends.
 */
public enum SubtaskTransition implements Transition<SubtaskState> {
    /** A worker claimed it and opened an attempt. */
    CLAIM(EnumSet.of(PENDING), EnumSet.of(RUNNING)),
    /** It was cancelled, or its job was, or its job reached its budget, before it started. */
    CANCEL(EnumSet.of(PENDING), EnumSet.of(CANCELLED)),
    /**
     * Its attempt ended (recorded by its worker, or lost and found by the sweep): it takes the
     * attempt's end, or is PENDING again when the retry verdict ({@code retry.Retries}) runs it again.
     */
    END(EnumSet.of(RUNNING), EnumSet.of(SUCCEEDED, FAILED, CANCELLED, PENDING)),
    /** Its worker is stopping and hands it back to the queue. */
    REQUEUE(EnumSet.of(RUNNING), EnumSet.of(PENDING)),
    /** A user runs it again. */
    RETRY(EnumSet.of(FAILED, CANCELLED), EnumSet.of(PENDING));

    private final Set<SubtaskState> from;
    private final Set<SubtaskState> to;

    SubtaskTransition(Set<SubtaskState> from, Set<SubtaskState> to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public Set<SubtaskState> from() {
        return EnumSet.copyOf(from);
    }

    @Override
    public Set<SubtaskState> to() {
        return EnumSet.copyOf(to);
    }
}
