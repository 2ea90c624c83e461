package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxException;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import io.drover.sandbox.microvm.qemu.Acceleration;
import io.drover.sandbox.microvm.qemu.ProcessFigures;
import io.drover.sandbox.microvm.reclaim.VmReclaimer;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code microvm} driver: each sandbox is a QEMU {@code microvm} guest restored from a saved
 * base VM. The base's RAM is a file every clone maps privately (copy-on-write, the way Firecracker
 * clones share one memory file), its disk a read-only qcow2 under each clone's overlay; after the
 * restore each clone gets a fresh identity (clock, RNG reseed, hostname). Commands run through
 * drover-agent over a virtio-serial port; standby saves the whole VM to disk and ends its QEMU
 * process. /workspace is the guest's disk; the guest root is a busybox + bash initramfs.
 */
public final class MicroVmDriver implements SandboxDriver {
    private static final Logger LOG = LoggerFactory.getLogger(MicroVmDriver.class);

    private final Machine machine;
    private final BaseVms bases;
    private final Clones clones;

    public MicroVmDriver(MicroVmSettings settings) throws SandboxException {
        this(settings, Owner.current());
    }

    MicroVmDriver(MicroVmSettings settings, Owner owner) throws SandboxException {
        Path root = settings.root().toAbsolutePath().normalize();
        requireQemu(settings.qemu());
        GuestImage guest = settings.buildGuest() ? GuestImage.findOrBuild(settings.guestDir())
                : GuestImage.find(settings.guestDir()).orElseThrow(() -> new SandboxException("no microVM guest image in "
                        + settings.guestDir() + "; build it with build-guest.sh (see docs/microvm.md)"));
        Acceleration acceleration = Acceleration.choose(settings.accel());
        this.machine = new Machine(settings.qemu(), acceleration, guest, settings.memoryMb());
        try {
            Path vms = Files.createDirectories(root.resolve("vms"));
            int reclaimed = VmReclaimer.reclaim(vms, Optional::of)
                    + VmReclaimer.reclaim(root.resolve("bases"), BaseVms::stagingOwner);
            this.bases = new BaseVms(root.resolve("bases"), machine, settings, owner.name());
            this.clones = new Clones(vms.resolve(owner.name()), machine);
            LOG.info("MicroVM sandbox driver ready in {} as {}: {}; guest {} from {}, {} MiB per VM; reclaimed {}"
                    + " directories of dead drivers", root, owner.name(), acceleration.reason(), guest.describe(),
                    guest.dir(), settings.memoryMb(), reclaimed);
        } catch (IOException e) {
            throw new SandboxException("cannot use " + root + " as the microvm driver's root: " + e.getMessage(), e);
        }
    }

    /** Fails unless {@code qemu --version} runs. */
    static void requireQemu(Path qemu) throws SandboxException {
        try {
            Process p = new ProcessBuilder(qemu.toString(), "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new SandboxException(qemu + " --version exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new SandboxException("QEMU is not installed (" + qemu + "): apt-get install qemu-system-x86 qemu-utils", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while looking for QEMU", e);
        }
    }

    @Override
    public String name() {
        return "microvm";
    }

    @Override
    public boolean supportsSetup() {
        return true;
    }

    /** Which acceleration the VMs run with, and why. */
    public String acceleration() {
        return machine.acceleration().reason();
    }

    @Override
    public BaseSnapshot prepareBase(BaseSpec spec) throws SandboxException {
        if (!"host".equals(spec.image())) {
            throw new SandboxException("image " + spec.image() + ": the microvm driver runs its one guest image,"
                    + " selected as image 'host'");
        }
        return bases.prepare(spec);
    }

    @Override
    public Sandbox clone(BaseSnapshot base, Resources resources) throws SandboxException {
        if (base.location() == null || !Files.isRegularFile(base.location().resolve(BaseVms.STATE))) {
            throw new SandboxException("base " + base.hash() + " is not a microVM base of this driver; prepare it here");
        }
        String id = "vm-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return clones.create(id, base, resources);
    }

    @Override
    public Execution exec(Sandbox sandbox, Command command) throws SandboxException {
        return clones.exec(own(sandbox), command);
    }

    @Override
    public void standby(Sandbox sandbox) throws SandboxException {
        clones.standby(own(sandbox));
    }

    @Override
    public void resume(Sandbox sandbox) throws SandboxException {
        clones.resume(own(sandbox));
    }

    @Override
    public void destroy(Sandbox sandbox) {
        clones.destroy(own(sandbox));
    }

    @Override
    public Usage usage(Sandbox sandbox) {
        return clones.usage(own(sandbox));
    }

    /** The QEMU process's memory and CPU figures now; every figure -1 while in standby or destroyed. */
    public ProcessFigures figures(Sandbox sandbox) {
        return clones.figures(own(sandbox));
    }

    /** Private memory (USS) of every running clone of this driver, summed: what a gauge shows. */
    public long privateMemoryBytes() {
        return clones.privateBytes();
    }

    @Override
    public long deleteBase(String hash) throws SandboxException {
        try {
            return bases.delete(hash);
        } catch (IOException e) {
            throw new SandboxException("could not delete the base " + hash + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> readFile(Sandbox sandbox, String path, long maxBytes) throws SandboxException {
        MicroVmSandbox own = own(sandbox);
        if (own.state() == SandboxState.DESTROYED) {
            throw new SandboxException("sandbox " + sandbox.id() + " was destroyed; read its files before release");
        }
        if (path == null || !path.startsWith("/workspace/") || path.contains("\0") || path.length() <= 11) {
            throw new SandboxException("path " + path + ": only files under /workspace/ can be read");
        }
        return clones.readFile(own, path, maxBytes);
    }

    BaseVms bases() {
        return bases;
    }

    @Override
    public void close() {
        clones.close();
        bases.close();
    }

    private static MicroVmSandbox own(Sandbox sandbox) {
        if (sandbox instanceof MicroVmSandbox own) {
            return own;
        }
        throw new IllegalArgumentException("sandbox " + sandbox.id() + " belongs to another driver");
    }
}
