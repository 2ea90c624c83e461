package io.drover.persistence.attempt;

import io.drover.persistence.state.Transition;

/** The life of an attempt row: RUNNING from its claim until its end; its moves are {@link AttemptTransition}'s. */
public enum AttemptState {
    RUNNING, SUCCEEDED, FAILED, CANCELLED, LOST;

    /** An attempt is opened in this state, by the claim that starts its subtask. */
    public static final AttemptState INITIAL = RUNNING;

    public boolean canMoveTo(AttemptState next) {
        return Transition.allows(AttemptTransition.values(), this, next);
    }

    /** The state an attempt that ended so is recorded in. */
    public static AttemptState of(AttemptOutcome outcome) {
        return valueOf(outcome.name());
    }
}
