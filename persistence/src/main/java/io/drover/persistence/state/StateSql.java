package io.drover.persistence.state;

import java.util.Collection;
import java.util.stream.Collectors;

/** States as SQL: the one place their names are quoted into statements. */
public final class StateSql {
    private StateSql() {
    }

    public static String literal(Enum<?> state) {
        return "'" + state.name() + "'";
    }

    /** {@code column = 'A'}, or {@code column IN ('A', 'B')}, in the states' declaration order. */
    public static String in(String column, Collection<? extends Enum<?>> states) {
        if (states.isEmpty()) {
            throw new IllegalArgumentException("no state for " + column);
        }
        if (states.size() == 1) {
            return column + " = " + literal(states.iterator().next());
        }
        return column + " IN (" + states.stream().sorted((a, b) -> Integer.compare(a.ordinal(), b.ordinal()))
                .map(StateSql::literal).collect(Collectors.joining(", ")) + ")";
    }

    public static String is(String column, Enum<?> state) {
        return column + " = " + literal(state);
    }
}
