package io.drover.workers.cost;

import io.drover.persistence.cost.CostLine;
import java.util.List;

/** Told the cost lines of each attempt whose end was recorded (a rejected duplicate is not told). */
@FunctionalInterface
public interface CostListener {
    CostListener NONE = lines -> { };

    void recorded(List<CostLine> lines);

    /** Lines recorded for one job; listeners that tag by the job's labels override this. */
    default void recorded(long jobId, List<CostLine> lines) {
        recorded(lines);
    }
}
