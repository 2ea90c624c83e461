package io.drover.orchestrator.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What a schedule's last runs cost, newest first, and how the cost per succeeded subtask moves. */
public record ScheduleCost(long scheduleId, String name, List<Run> runs, Trend trend) {

    /**
     * One job the schedule started.
     *
     * @param totalUsd ledgerUsd + sharedUsd, as in the job's own report
     * @param sharedUsd the job's share of its base's setup and storage
     */
    public record Run(long jobId, String state, Instant createdAt, Instant startedAt, Instant finishedAt,
            BigDecimal totalUsd, BigDecimal ledgerUsd, BigDecimal sharedUsd, long succeededSubtasks,
            BigDecimal costPerSucceededSubtaskUsd) {
    }

    /**
     * Over the runs listed that ended with at least one succeeded subtask.
     *
     * @param slopePerRunUsd least-squares slope of the cost per succeeded subtask, oldest run first:
     *                       USD more (or less) per run; null with fewer than two runs
     * @param latestVsMean   the newest such run's cost per succeeded subtask over their mean
     */
    public record Trend(int runs, BigDecimal meanTotalUsd, BigDecimal meanPerSucceededSubtaskUsd,
            BigDecimal latestPerSucceededSubtaskUsd, BigDecimal latestVsMean, BigDecimal slopePerRunUsd) {
    }
}
