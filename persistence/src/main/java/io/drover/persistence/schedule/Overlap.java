package io.drover.persistence.schedule;

import java.util.Locale;
import java.util.Optional;

/** What a fire does while the schedule's previous job has not ended (Kubernetes CronJob's concurrencyPolicy). */
public enum Overlap {
    /** Start the new job beside the running one. */
    ALLOW,
    /** Skip this fire and record why. */
    FORBID,
    /** Cancel the running job, then start the new one. */
    REPLACE;

    /** The spelling used in specs: {@code allow}, {@code forbid}, {@code replace}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Overlap> parse(String text) {
        for (Overlap o : values()) {
            if (o.spelling().equals(text)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
