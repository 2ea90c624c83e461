package io.drover.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.containment.ProbeTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The microvm driver for the containment suite: 256 MiB guests from the guest image VmFixture
 * uses, in a fixed root so that a run killed midway is reclaimed by the next one.
 */
public final class MicroVmProbeTarget implements ProbeTarget {
    public static final int VM_MEMORY_MB = 256;

    private final Path root;
    private final MicroVmDriver driver;
    private BaseSnapshot base;

    public MicroVmProbeTarget(Path root) throws SandboxException {
        this.root = root;
        Path guest = Path.of(System.getProperty("drover.microvm.guest", MicroVmSettings.defaultGuestDir().toString()));
        this.driver = new MicroVmDriver(MicroVmSettings.defaults(root).withGuest(guest, true).withMemoryMb(VM_MEMORY_MB));
    }

    @Override
    public Kind kind() {
        return Kind.MICROVM;
    }

    @Override
    public MicroVmDriver driver() {
        return driver;
    }

    @Override
    public synchronized BaseSnapshot base() throws SandboxException {
        if (base == null) {
            base = driver.prepareBase(SPEC);
        }
        return base;
    }

    /** The QEMU process; empty once it ended (standby or destroy). */
    @Override
    public List<Long> hostPids(Sandbox sandbox) {
        var vm = ((MicroVmSandbox) sandbox).vm();
        if (vm == null) {
            return List.of();
        }
        return ProcessHandle.of(vm.pid()).filter(ProcessHandle::isAlive).map(p -> List.of(p.pid())).orElse(List.of());
    }

    @Override
    public List<Path> cgroupDirs(Sandbox sandbox) {
        return List.of();
    }

    @Override
    public OptionalLong processPeak(Sandbox sandbox) {
        return OptionalLong.empty();
    }

    /** The clone's own qcow2 overlay: what the guest sees as /dev/vda. */
    public Path disk(Sandbox sandbox) {
        return ((MicroVmSandbox) sandbox).dir().resolve(Clones.OVERLAY);
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public void close() {
        driver.close();
        assertThat(VmFixture.qemuUnder(root)).isEmpty();
        assertThat(root.resolve("vms")).isEmptyDirectory();
        VmFiles.deleteTree(root);
    }
}
