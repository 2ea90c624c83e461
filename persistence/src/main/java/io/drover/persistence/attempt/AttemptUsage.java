package io.drover.persistence.attempt;

import io.drover.persistence.cost.CostLine;
import java.util.List;

/**
 * What an attempt's sandbox used and what that cost, recorded with the attempt's end.
 *
 * @param cpuMs, diskBytes, setupMs null when the driver could not measure them
 * @param usageWarnings  lines of the task's usage file that were malformed or could not be priced
 * @param usageWarning   the first few of them, for users; null when there were none
 */
public record AttemptUsage(long activeMs, long standbyMs, Long cpuMs, long memoryLimitBytes, double vcpus,
        Long diskBytes, Long setupMs, int usageWarnings, String usageWarning, List<CostLine> lines) {

    public AttemptUsage {
        lines = List.copyOf(lines);
    }
}
