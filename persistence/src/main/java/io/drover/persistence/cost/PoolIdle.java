package io.drover.persistence.cost;

import java.time.Instant;
import java.util.List;

/**
 * What a warm clone used while it waited in the pool, from its cloning ({@code since}) until it
 * was leased or destroyed unused ({@code until}), priced as {@code overhead} lines.
 *
 * @param cpuMs, diskBytes null when the driver could not measure them
 */
public record PoolIdle(String baseHash, String driver, String sandboxId, Instant since, Instant until, long activeMs,
        long standbyMs, Long cpuMs, long memoryLimitBytes, Long diskBytes, List<CostLine> lines) {

    public PoolIdle {
        lines = List.copyOf(lines);
    }
}
