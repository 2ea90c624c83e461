package io.drover.sandbox.process;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.InProcessBaseBuildLock;
import io.drover.sandbox.Resources;
import io.drover.sandbox.process.cgroup.MemoryBudget;
import io.drover.sandbox.process.disk.DiskLimit;
import io.drover.sandbox.process.launch.SandboxUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * @param root           holds {@code bases/} and {@code sandboxes/}; it and its parents must be searchable
 *                       (o+x) by {@code user}, because bubblewrap resolves the workspace bind as that user
 * @param user           the host identity of root inside the sandboxes
 * @param setupResources limits of the sandbox that runs a base's setup
 * @param setupTimeout   per setup step
 * @param buildLock      serializes base builds per hash; replace it to exclude other processes too
 * @param cgroupParent   the directory under each cgroup hierarchy that holds Drover's cgroups
 * @param gatewayPort    the LLM gateway's port on the host's loopback, forwarded into every sandbox at
 *                       {@link io.drover.sandbox.LlmGateway#SANDBOX_URL}; empty when there is no gateway
 * @param memoryBudget   what the pool may give its sandboxes at once, checked at start-up against the
 *                       memory limit they share with this process; empty: not checked
 * @param diskLimit      how each sandbox's writes to /workspace and /tmp are bounded ({@code drover.pool.disk-limit})
 * @param defaultDiskMb  the bound of a sandbox whose resources ask for the default ({@code drover.pool.sandbox-disk-mb})
 */
public record ProcessDriverSettings(Path root, SandboxUser user, Resources setupResources, Duration setupTimeout,
        BaseBuildLock buildLock, String cgroupParent, OptionalInt gatewayPort, Optional<MemoryBudget> memoryBudget,
        DiskLimit diskLimit, int defaultDiskMb) {

    /** The smallest disk limit: what a job spec's {@code resources.diskMb} may ask for at least. */
    public static final int MIN_DISK_MB = 16;

    /** 10 GiB, the default of {@code drover.pool.sandbox-disk-mb}. */
    public static final int DEFAULT_DISK_MB = 10_240;

    public ProcessDriverSettings {
        if (gatewayPort.isPresent() && (gatewayPort.getAsInt() < 1 || gatewayPort.getAsInt() > 65_535)) {
            throw new IllegalArgumentException("drover.sandbox.gateway-port must be between 1 and 65535; was "
                    + gatewayPort.getAsInt());
        }
        if (defaultDiskMb < MIN_DISK_MB) {
            throw new IllegalArgumentException("drover.pool.sandbox-disk-mb must be at least " + MIN_DISK_MB
                    + " (MiB; an ext4 image smaller than that has no room for a workspace); was " + defaultDiskMb);
        }
    }

    /** Settings from before disk limits: each sandbox gets {@link #DEFAULT_DISK_MB} on a loop device. */
    public ProcessDriverSettings(Path root, SandboxUser user, Resources setupResources, Duration setupTimeout,
            BaseBuildLock buildLock, String cgroupParent, OptionalInt gatewayPort, Optional<MemoryBudget> memoryBudget) {
        this(root, user, setupResources, setupTimeout, buildLock, cgroupParent, gatewayPort, memoryBudget,
                DiskLimit.LOOP, DEFAULT_DISK_MB);
    }

    /** The disk limit of a sandbox with these resources, in MiB; empty when disks are not limited. */
    public OptionalInt diskMbOf(Resources resources) {
        if (diskLimit == DiskLimit.NONE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(resources.diskMb() == Resources.DRIVER_DEFAULT_DISK ? defaultDiskMb : resources.diskMb());
    }

    public static ProcessDriverSettings defaults(Path root) {
        return new ProcessDriverSettings(root, SandboxUser.DEFAULT, new Resources(2048, 2.0, 1024),
                Duration.ofMinutes(30), new InProcessBaseBuildLock(), "drover", OptionalInt.empty(), Optional.empty());
    }

    public ProcessDriverSettings withBuildLock(BaseBuildLock lock) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, lock, cgroupParent, gatewayPort, memoryBudget,
                diskLimit, defaultDiskMb);
    }

    public ProcessDriverSettings withGatewayPort(OptionalInt port) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, buildLock, cgroupParent, port,
                memoryBudget, diskLimit, defaultDiskMb);
    }

    public ProcessDriverSettings withMemoryBudget(MemoryBudget budget) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, buildLock, cgroupParent, gatewayPort,
                Optional.of(budget), diskLimit, defaultDiskMb);
    }

    /** {@code limit} for every sandbox, {@code defaultMb} for one whose resources ask for the default. */
    public ProcessDriverSettings withDiskLimit(DiskLimit limit, int defaultMb) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, buildLock, cgroupParent, gatewayPort,
                memoryBudget, limit, defaultMb);
    }
}
