package io.drover.persistence.attempt;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The running attempt a token belongs to, with what its job and subtask have spent so far against
 * their budgets (limits are null when the job has none).
 */
public record TokenHolder(long attemptId, long jobId, long subtaskId, int subtaskIndex, BigDecimal maxCostUsd,
        BigDecimal jobSpentUsd, BigDecimal maxCostPerSubtaskUsd, BigDecimal subtaskSpentUsd) {

    /** Why no further spend is allowed, naming the budget field; empty while within budget. */
    public Optional<String> budgetReached() {
        if (maxCostPerSubtaskUsd != null && subtaskSpentUsd.compareTo(maxCostPerSubtaskUsd) >= 0) {
            return Optional.of("subtask " + subtaskIndex + " of job " + jobId + " has spent "
                    + subtaskSpentUsd.stripTrailingZeros().toPlainString() + " USD, its spec.budget.maxCostPerSubtaskUsd is "
                    + maxCostPerSubtaskUsd.stripTrailingZeros().toPlainString() + " USD");
        }
        if (maxCostUsd != null && jobSpentUsd.compareTo(maxCostUsd) >= 0) {
            return Optional.of("job " + jobId + " has spent " + jobSpentUsd.stripTrailingZeros().toPlainString()
                    + " USD, its spec.budget.maxCostUsd is " + maxCostUsd.stripTrailingZeros().toPlainString() + " USD");
        }
        return Optional.empty();
    }
}
