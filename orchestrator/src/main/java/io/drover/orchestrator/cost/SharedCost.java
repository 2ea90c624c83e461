package io.drover.orchestrator.cost;

import io.drover.persistence.cost.BaseUse;
import io.drover.workers.cost.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * What a job's base costs everyone who uses it, and the job's share. The base's setup (each build,
 * priced once when recorded) and its layer's storage (size × time kept, until now for a base still
 * on disk) are amortized over every subtask that ever ran on the base: the job's share is its
 * subtasks that ran over all of them, as of the report. The shares of all jobs on a base add up to
 * the base's cost (to the 12th decimal); a job's share shrinks as later jobs reuse the base.
 *
 * @param builds           builds of the base recorded: one per node that ran its setup, and again
 *                         after a deletion; copies fetched from a peer ran no setup and are not builds
 * @param setupUsd         Σ setup of the builds
 * @param storageGibSeconds Σ size (GiB) × seconds kept, over every node's copy (fetched ones too)
 * @param storageUsd       Σ round12(size × seconds kept × the storage price at the build)
 * @param subtasksUsingBase subtasks of every job on the base that ran at least one attempt
 * @param jobSubtasksUsingBase the job's own
 */
public record SharedCost(String baseHash, int builds, long buildMs, BigDecimal setupUsd, BigDecimal storageGibSeconds,
        BigDecimal storageUsd, long subtasksUsingBase, long jobSubtasksUsingBase, BigDecimal setupShareUsd,
        BigDecimal storageShareUsd) {

    public BigDecimal shareUsd() {
        return setupShareUsd.add(storageShareUsd);
    }

    public static SharedCost of(BaseUse use, Instant now) {
        BigDecimal setup = BigDecimal.ZERO;
        BigDecimal gibSeconds = BigDecimal.ZERO;
        BigDecimal storage = BigDecimal.ZERO;
        long buildMs = 0;
        int builds = 0;
        for (BaseUse.Build b : use.builds()) {
            builds += b.fetched() ? 0 : 1;
            setup = setup.add(b.setupUsd());
            buildMs += b.buildMs();
            Instant until = b.deletedAt() != null ? b.deletedAt() : now;
            long keptMs = Math.max(0, Duration.between(b.builtAt(), until).toMillis());
            BigDecimal kept = Quantities.gibSeconds(b.sizeBytes(), keptMs);
            gibSeconds = gibSeconds.add(kept);
            storage = storage.add(Quantities.amount(kept, b.storageGibSecondUsd()));
        }
        return new SharedCost(use.baseHash(), builds, buildMs, setup, gibSeconds, storage,
                use.allSubtasks(), use.jobSubtasks(), share(setup, use), share(storage, use));
    }

    /** round12(amount × the job's subtasks / all subtasks on the base); 0 when none ran. */
    static BigDecimal share(BigDecimal amount, BaseUse use) {
        if (use.allSubtasks() == 0) {
            return BigDecimal.ZERO.setScale(Quantities.AMOUNT_SCALE);
        }
        return amount.multiply(BigDecimal.valueOf(use.jobSubtasks()))
                .divide(BigDecimal.valueOf(use.allSubtasks()), Quantities.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }
}
