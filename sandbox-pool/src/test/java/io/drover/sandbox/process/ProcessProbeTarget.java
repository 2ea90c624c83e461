package io.drover.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.containment.ProbeTarget;
import io.drover.sandbox.process.cgroup.CgroupLayout;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.overlay.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The process driver for the containment suite, in a fixed root so that a run killed midway is
 * reclaimed by the next one (its drivers reclaim dead owners' mounts, cgroups and namespaces).
 */
public final class ProcessProbeTarget implements ProbeTarget {
    private final Path root;
    private final ProcessDriver driver;
    private BaseSnapshot base;

    /** @param gatewayPort the host port the sandboxes' gateway forward leads to */
    public ProcessProbeTarget(Path root, int gatewayPort) {
        this.root = root;
        try {
            Files.createDirectories(root.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.driver = new ProcessDriver(ProcessDriverSettings.defaults(root).withGatewayPort(OptionalInt.of(gatewayPort)));
    }

    @Override
    public Kind kind() {
        return Kind.PROCESS;
    }

    @Override
    public ProcessDriver driver() {
        return driver;
    }

    @Override
    public synchronized BaseSnapshot base() throws SandboxException {
        if (base == null) {
            base = driver.prepareBase(SPEC);
        }
        return base;
    }

    @Override
    public List<Long> hostPids(Sandbox sandbox) {
        return ((ProcessSandbox) sandbox).cgroup().pids();
    }

    @Override
    public List<Path> cgroupDirs(Sandbox sandbox) {
        return ((ProcessSandbox) sandbox).cgroup().directories();
    }

    @Override
    public OptionalLong processPeak(Sandbox sandbox) {
        for (Path dir : cgroupDirs(sandbox)) {
            Path peak = dir.resolve("pids.peak");
            if (Files.exists(peak)) {
                try {
                    return OptionalLong.of(Long.parseLong(Files.readString(peak).strip()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public void close() {
        driver.close();
        for (Path hierarchy : CgroupLayout.detect().hierarchies()) {
            assertThat(hierarchy.resolve("drover").resolve(driver.owner().name())).doesNotExist();
        }
        assertThat(OverlayMount.mountPointsUnder(root)).isEmpty();
        assertThat(root.resolve("sandboxes")).isEmptyDirectory();
        Trees.delete(root);
    }
}
