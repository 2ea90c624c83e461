package io.drover.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a sandbox used so far. Figures a driver cannot measure are empty, never guessed.
 *
 * @param cpuTime         CPU time of every process in the sandbox
 * @param memoryPeakBytes the highest memory use seen
 * @param diskBytes       bytes the sandbox wrote on top of its base
 * @param egressBytes     bytes the sandbox sent over its network interface (headers included);
 *                        empty when it has no network of its own
 * @param ingressBytes    bytes it received over that interface
 */
public record Usage(Duration activeTime, Duration standbyTime, Optional<Duration> cpuTime, long memoryLimitBytes,
        OptionalLong memoryPeakBytes, OptionalLong diskBytes, OptionalLong egressBytes, OptionalLong ingressBytes) {

    /** Without network figures. */
    public Usage(Duration activeTime, Duration standbyTime, Optional<Duration> cpuTime, long memoryLimitBytes,
            OptionalLong memoryPeakBytes, OptionalLong diskBytes) {
        this(activeTime, standbyTime, cpuTime, memoryLimitBytes, memoryPeakBytes, diskBytes, OptionalLong.empty(),
                OptionalLong.empty());
    }
}
