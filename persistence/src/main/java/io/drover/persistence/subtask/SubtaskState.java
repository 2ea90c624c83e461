package io.drover.persistence.subtask;

import io.drover.persistence.state.Transition;
import java.util.EnumSet;
import java.util.Set;

/** The life of a subtask; its moves are {@link SubtaskTransition}'s. */
public enum SubtaskState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** A subtask is stored in this state when its job is split. */
    public static final SubtaskState INITIAL = PENDING;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public boolean canMoveTo(SubtaskState next) {
        return Transition.allows(SubtaskTransition.values(), this, next);
    }

    /** The states of a subtask its job waits for. */
    public static Set<SubtaskState> unfinished() {
        return EnumSet.of(PENDING, RUNNING);
    }
}
