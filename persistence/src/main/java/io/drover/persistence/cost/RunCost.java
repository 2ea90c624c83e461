package io.drover.persistence.cost;

import java.math.BigDecimal;
import java.time.Instant;

/** One job as a line of an aggregate: its ledger total and how many of its subtasks succeeded. */
public record RunCost(long jobId, String state, Instant createdAt, Instant startedAt, Instant finishedAt,
        BigDecimal ledgerUsd, long succeededSubtasks) {
}
