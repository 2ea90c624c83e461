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
import io.drover.sandbox.microvm.guest.FirstUseGuest;
import io.drover.sandbox.microvm.guest.GuestBuild;
import io.drover.sandbox.microvm.guest.GuestImage;
import io.drover.sandbox.microvm.qemu.Acceleration;
import io.drover.sandbox.microvm.qemu.ProcessFigures;
import io.drover.sandbox.microvm.reclaim.VmReclaimer;
import io.drover.sandbox.preflight.Checked;
import io.drover.sandbox.preflight.Startup;
import io.drover.sandbox.process.reclaim.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    private static final String NAME = "microvm";
    /** The canary's command; the base it boots first has the driver's own boot timeout. */
    private static final Duration CANARY_TIMEOUT = Duration.ofMinutes(1);

    private final FirstUseGuest guests;
    private final Machine machine;
    private final BaseVms bases;
    private final Clones clones;

    /**
     * A driver on {@code settings}, without the checks of {@link #start}: the guest image is found, or
     * built, on the first {@link #prepareBase}.
     */
    public MicroVmDriver(MicroVmSettings settings) throws SandboxException {
        this(settings, Owner.current());
    }

    MicroVmDriver(MicroVmSettings settings, Owner owner) throws SandboxException {
        this(settings, owner, GuestBuild::run);
    }

    MicroVmDriver(MicroVmSettings settings, Owner owner, FirstUseGuest.Builder guestBuilder) throws SandboxException {
        Path root = settings.root().toAbsolutePath().normalize();
        Acceleration acceleration = Acceleration.choose(settings.accel());
        this.guests = new FirstUseGuest(settings.guestDir(), settings.buildGuest(), guestBuilder);
        this.machine = new Machine(settings.qemu(), acceleration, guests, settings.memoryMb());
        try {
            Path vms = Files.createDirectories(root.resolve("vms"));
            int reclaimed = VmReclaimer.reclaim(vms, Optional::of)
                    + VmReclaimer.reclaim(root.resolve("bases"), BaseVms::stagingOwner);
            this.bases = new BaseVms(root.resolve("bases"), machine, settings, owner.name());
            this.clones = new Clones(vms.resolve(owner.name()), machine, settings::diskMbOf);
            String guest = GuestImage.find(guests.dir()).map(g -> g.describe() + " from " + g.dir())
                    .orElse("image not built yet in " + guests.dir()
                            + (settings.buildGuest() ? ": the first base builds it" : ""));
            LOG.info("MicroVM sandbox driver ready in {} as {}: {}; guest {}, {} MiB per VM; {}; reclaimed {}"
                    + " directories of dead drivers", root, owner.name(), acceleration.reason(), guest, settings.memoryMb(),
                    settings.limitDisk() ? "each clone's own disk of diskMb (default " + settings.defaultDiskMb()
                            + " MiB) for /workspace and /tmp" : "no disk limit (drover.pool.disk-limit=none)", reclaimed);
        } catch (IOException e) {
            throw new SandboxException("cannot use " + root + " as the microvm driver's root: " + e.getMessage(), e);
        }
    }

    /**
     * Checks what the driver needs from the machine (QEMU, the acceleration, the guest image or what
     * building it needs), starts it, and, when the guest image is there already, runs one canary VM.
     * A missing image is neither built nor booted here, so that start-up stays fast: the first
     * {@link #prepareBase} builds it. The driver is returned only when all of that passed.
     */
    public static Checked<MicroVmDriver> start(MicroVmSettings settings) {
        boolean imageThere = GuestImage.find(settings.guestDir()).isPresent();
        return Startup.behind(NAME, () -> MicroVmPreflight.run(settings), () -> new MicroVmDriver(settings),
                imageThere ? Optional.of(CANARY_TIMEOUT) : Optional.empty());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supportsSetup() {
        return true;
    }

    /** Which acceleration the VMs run with, and why. */
    public String acceleration() {
        return machine.acceleration().reason();
    }

    /** Builds the guest image first when it is missing (only the first call, seconds to minutes; see docs/microvm.md). */
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
        guests.close();
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
