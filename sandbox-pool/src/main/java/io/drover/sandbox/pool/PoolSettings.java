package io.drover.sandbox.pool;

import java.time.Duration;

/**
 * @param maxSandboxes     every sandbox of the pool counts, warm, leased or in standby; a lease waits for room
 * @param minWarm          clones kept ready per base once that base has been used
 * @param maxWarm          at most this many warm clones per base
 * @param standbyAfter     idle time after which a warm or leased-but-idle sandbox goes to standby
 * @param sweepInterval    how often idle sandboxes are looked for
 */
public record PoolSettings(int maxSandboxes, int minWarm, int maxWarm, Duration standbyAfter, Duration sweepInterval) {
    /** 64 sandboxes, 1 to 4 warm clones per base, standby after 15 s, swept every second. */
    public static PoolSettings defaults() {
        return new PoolSettings(64, 1, 4, Duration.ofSeconds(15), Duration.ofSeconds(1));
    }

    public PoolSettings {
        if (maxSandboxes < 1 || minWarm < 0 || maxWarm < minWarm) {
            throw new IllegalArgumentException("need maxSandboxes >= 1 and 0 <= minWarm <= maxWarm, got " + maxSandboxes
                    + ", " + minWarm + ", " + maxWarm);
        }
    }
}
