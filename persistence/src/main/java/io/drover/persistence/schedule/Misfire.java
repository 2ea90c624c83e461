package io.drover.persistence.schedule;

import java.util.Locale;
import java.util.Optional;

/** What happens to fires missed while no Drover instance ran (or the schedule was suspended). */
public enum Misfire {
    /** Fire once as soon as possible, however many fires were missed, then keep to the cron. */
    FIRE_ONCE,
    /** Drop the missed fires and wait for the next one. */
    SKIP;

    /** The spelling used in specs: {@code fire-once}, {@code skip}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Misfire> parse(String text) {
        for (Misfire m : values()) {
            if (m.spelling().equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
