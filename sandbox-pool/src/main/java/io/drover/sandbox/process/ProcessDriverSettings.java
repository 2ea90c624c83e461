package io.drover.sandbox.process;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.InProcessBaseBuildLock;
import io.drover.sandbox.Resources;
import io.drover.sandbox.process.cgroup.MemoryBudget;
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
 */
public record ProcessDriverSettings(Path root, SandboxUser user, Resources setupResources, Duration setupTimeout,
        BaseBuildLock buildLock, String cgroupParent, OptionalInt gatewayPort, Optional<MemoryBudget> memoryBudget) {

    public ProcessDriverSettings {
        if (gatewayPort.isPresent() && (gatewayPort.getAsInt() < 1 || gatewayPort.getAsInt() > 65_535)) {
            throw new IllegalArgumentException("drover.sandbox.gateway-port must be between 1 and 65535; was "
                    + gatewayPort.getAsInt());
        }
    }

    public static ProcessDriverSettings defaults(Path root) {
        return new ProcessDriverSettings(root, SandboxUser.DEFAULT, new Resources(2048, 2.0, 1024),
                Duration.ofMinutes(30), new InProcessBaseBuildLock(), "drover", OptionalInt.empty(), Optional.empty());
    }

    public ProcessDriverSettings withBuildLock(BaseBuildLock lock) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, lock, cgroupParent, gatewayPort, memoryBudget);
    }

    public ProcessDriverSettings withGatewayPort(OptionalInt port) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, buildLock, cgroupParent, port,
                memoryBudget);
    }

    public ProcessDriverSettings withMemoryBudget(MemoryBudget budget) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, buildLock, cgroupParent, gatewayPort,
                Optional.of(budget));
    }
}
