package io.drover.persistence.state;

import java.util.Set;

/**
 * One allowed move of a state machine, named for what makes it: any state of {@link #from()} may
 * become any state of {@link #to()}. The machine's table is the union of its transitions; every
 * UPDATE that changes a state writes its guard and its target through one of them, so no store
 * holds a rule of its own.
 */
public interface Transition<S extends Enum<S>> {
    Set<S> from();

    Set<S> to();

    /** The SQL condition on {@code column} for the rows this transition may move. */
    default String guard(String column) {
        return StateSql.in(column, from());
    }

    /** {@code target}, which must be one this transition leads to: for a state bound as a parameter. */
    default S checked(S target) {
        if (!to().contains(target)) {
            throw new IllegalArgumentException(this + " leads to " + to() + ", not to " + target);
        }
        return target;
    }

    /** The SQL literal of {@code target}, which must be one this transition leads to. */
    default String into(S target) {
        return StateSql.literal(checked(target));
    }

    /** The SQL literal of the one state this transition leads to. */
    default String into() {
        if (to().size() != 1) {
            throw new IllegalStateException(this + " leads to " + to() + ": name the target");
        }
        return StateSql.literal(to().iterator().next());
    }

    /** Whether any of {@code transitions} moves {@code from} to {@code to}. */
    static <S extends Enum<S>> boolean allows(Transition<S>[] transitions, S from, S to) {
        for (Transition<S> t : transitions) {
            if (t.from().contains(from) && t.to().contains(to)) {
                return true;
            }
        }
        return false;
    }
}
