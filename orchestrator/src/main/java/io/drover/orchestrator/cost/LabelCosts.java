package io.drover.orchestrator.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Cost recorded in a time window, summed per value of one job label.
 *
 * @param values dearest first; a {@code null} value gathers the jobs without the label
 */
public record LabelCosts(String key, Instant since, Instant until, BigDecimal totalUsd, List<Value> values) {

    /**
     * @param totalUsd                   Σ cost lines recorded in the window for the jobs with this value
     * @param succeededSubtasks          their subtasks that succeeded in the window
     * @param costPerSucceededSubtaskUsd null when none did
     */
    public record Value(String value, long jobs, BigDecimal totalUsd, long succeededSubtasks,
            BigDecimal costPerSucceededSubtaskUsd) {
    }
}
