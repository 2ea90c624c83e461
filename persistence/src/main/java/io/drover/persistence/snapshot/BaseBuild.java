package io.drover.persistence.snapshot;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One node's copy of a base, priced when it was recorded: its setup's compute (shared by every
 * subtask that uses the base) and the unit price its layer's storage is charged at while it is
 * kept. A copy fetched from a peer ran no setup: its build time and setup are 0, its storage counts.
 *
 * @param memoryLimitBytes, vcpus what the sandbox that ran the setup was given
 * @param setupUsd                round12(GiB × s × memory price) + round12(vCPUs × s × vCPU price)
 * @param node                    the node whose disk holds this copy
 * @param fetchedFrom             the node it was fetched from; null when built on {@code node}
 */
public record BaseBuild(String baseHash, String driver, long buildMs, long memoryLimitBytes, BigDecimal vcpus,
        BigDecimal memoryGibSecondUsd, BigDecimal vcpuSecondUsd, BigDecimal storageGibSecondUsd, BigDecimal setupUsd,
        long sizeBytes, Instant builtAt, String node, String fetchedFrom) {
}
