package io.drover.persistence.cost;

import java.math.BigDecimal;

/**
 * One attempt of a job as the cost report needs it: its outcome, what its sandbox was metered
 * at (null figures: it never got a sandbox, or the driver could not measure), and its cost.
 */
public record MeteredAttempt(long attemptId, int subtaskIndex, String state, Long activeMs, Long standbyMs, Long cpuMs,
        Long memoryLimitBytes, BigDecimal vcpus, Long setupMs, BigDecimal costUsd) {

    public boolean metered() {
        return activeMs != null && memoryLimitBytes != null;
    }
}
