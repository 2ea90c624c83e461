package io.drover.orchestrator.cost;

import io.drover.persistence.cost.SubtaskCost;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a job cost, and what the same timeline would have cost if billed another way.
 *
 * @param totalUsd                   ledgerUsd + the job's share of its base's setup and storage
 * @param ledgerUsd                  Σ the job's cost lines (attempts, and pool overhead allocated to it)
 * @param byDimension                the ledger by dimension
 * @param shared                     the job's base and its share of it; null when the job records no base
 * @param costPerSucceededSubtaskUsd totalUsd (every attempt, failed ones included, plus the shares) over
 *                                   the subtasks that succeeded; null when none did
 * @param failedAttemptShare         the part of the ledger spent on attempts that did not succeed
 * @param cpuUtilization             CPU-seconds used per active second of the sandboxes
 * @param idleShare                  the part of the vCPU-seconds given while active that went unused
 */
public record CostReport(long jobId, String state, BigDecimal totalUsd, BigDecimal ledgerUsd,
        Map<String, BigDecimal> byDimension, SharedCost shared, int subtasks, long succeededSubtasks, int attempts,
        int failedAttempts, BigDecimal costPerSucceededSubtaskUsd, BigDecimal failedAttemptShare,
        BigDecimal cpuUtilization, BigDecimal idleShare, long activeMs, long cpuMs, List<SubtaskCost> dearest,
        List<Counterfactual> counterfactuals) {
}
