package io.drover.orchestrator.cost;

import io.drover.persistence.cost.SubtaskCost;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a job cost, and what the same timeline would have cost if billed another way.
 *
 * @param costPerSucceededSubtaskUsd every attempt's cost (failed ones included) over the subtasks
 *                                   that succeeded; null when none did
 * @param failedAttemptShare         the part of the total spent on attempts that did not succeed
 * @param cpuUtilization             CPU-seconds used per active second of the sandboxes
 * @param idleShare                  the part of the vCPU-seconds given while active that went unused
 */
public record CostReport(long jobId, String state, BigDecimal totalUsd, Map<String, BigDecimal> byDimension,
        int subtasks, long succeededSubtasks, int attempts, int failedAttempts, BigDecimal costPerSucceededSubtaskUsd,
        BigDecimal failedAttemptShare, BigDecimal cpuUtilization, BigDecimal idleShare, long activeMs, long cpuMs, List<SubtaskCost> dearest,
        List<Counterfactual> counterfactuals) {
}
