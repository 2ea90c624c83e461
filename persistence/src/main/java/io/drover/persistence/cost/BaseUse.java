package io.drover.persistence.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A job's base and what it shares with the other users of that base: the base's builds (setup
 * cost, layer storage) and how many subtasks used it, the job's own and everyone's.
 *
 * @param jobSubtasks subtasks of the job that ran at least one attempt
 * @param allSubtasks subtasks of every job on this base that ran at least one attempt
 */
public record BaseUse(String baseHash, long jobSubtasks, long allSubtasks, List<Build> builds) {

    public BaseUse {
        builds = List.copyOf(builds);
    }

    /**
     * One node's copy of the base as recorded: built there, or fetched from a peer (no setup, storage only).
     *
     * @param deletedAt when garbage collection removed its layer; null while it is kept
     */
    public record Build(long buildMs, BigDecimal setupUsd, long sizeBytes, BigDecimal storageGibSecondUsd,
            Instant builtAt, Instant deletedAt, boolean fetched) {

        /** A copy built by its node's setup. */
        public Build(long buildMs, BigDecimal setupUsd, long sizeBytes, BigDecimal storageGibSecondUsd, Instant builtAt,
                Instant deletedAt) {
            this(buildMs, setupUsd, sizeBytes, storageGibSecondUsd, builtAt, deletedAt, false);
        }
    }
}
