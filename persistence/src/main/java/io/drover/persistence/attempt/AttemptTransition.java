package io.drover.persistence.attempt;

import static io.drover.persistence.attempt.AttemptState.CANCELLED;
import static io.drover.persistence.attempt.AttemptState.FAILED;
import static io.drover.persistence.attempt.AttemptState.LOST;
import static io.drover.persistence.attempt.AttemptState.RUNNING;
import static io.drover.persistence.attempt.AttemptState.SUCCEEDED;

import io.drover.persistence.state.Transition;
import java.util.EnumSet;
import java.util.Set;

/** Every move an attempt may make: each ends it, once. */
public enum AttemptTransition implements Transition<AttemptState> {
    /** Its worker recorded how the task ended. */
    END(EnumSet.of(RUNNING), EnumSet.of(SUCCEEDED, FAILED, CANCELLED)),
    /** Its sandbox or worker was lost (its worker says so, or the sweep finds its lease expired), or its worker stopped. */
    LOSE(EnumSet.of(RUNNING), EnumSet.of(LOST));

    private final Set<AttemptState> from;
    private final Set<AttemptState> to;

    AttemptTransition(Set<AttemptState> from, Set<AttemptState> to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public Set<AttemptState> from() {
        return EnumSet.copyOf(from);
    }

    @Override
    public Set<AttemptState> to() {
        return EnumSet.copyOf(to);
    }
}
