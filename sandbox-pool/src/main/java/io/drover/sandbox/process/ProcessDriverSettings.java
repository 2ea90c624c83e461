package io.drover.sandbox.process;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.InProcessBaseBuildLock;
import io.drover.sandbox.Resources;
import io.drover.sandbox.process.launch.SandboxUser;
import java.nio.file.Path;
import java.time.Duration;

/**
 * @param root           holds {@code bases/} and {@code sandboxes/}; it and its parents must be searchable
 *                       (o+x) by {@code user}, because bubblewrap resolves the workspace bind as that user
 * @param user           the host identity of root inside the sandboxes
 * @param setupResources limits of the sandbox that runs a base's setup
 * @param setupTimeout   per setup step
 * @param buildLock      serializes base builds per hash; replace it to exclude other processes too
 * @param cgroupParent   the directory under each cgroup hierarchy that holds Drover's cgroups
 */
public record ProcessDriverSettings(Path root, SandboxUser user, Resources setupResources, Duration setupTimeout,
        BaseBuildLock buildLock, String cgroupParent) {

    public static ProcessDriverSettings defaults(Path root) {
        return new ProcessDriverSettings(root, SandboxUser.DEFAULT, new Resources(2048, 2.0, 1024),
                Duration.ofMinutes(30), new InProcessBaseBuildLock(), "drover");
    }

    public ProcessDriverSettings withBuildLock(BaseBuildLock lock) {
        return new ProcessDriverSettings(root, user, setupResources, setupTimeout, lock, cgroupParent);
    }
}
