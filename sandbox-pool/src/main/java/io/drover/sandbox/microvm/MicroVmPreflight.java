package io.drover.sandbox.microvm;

import io.drover.sandbox.microvm.guest.FirstUseGuest;
import io.drover.sandbox.microvm.guest.GuestBuild;
import io.drover.sandbox.microvm.guest.GuestImage;
import io.drover.sandbox.microvm.qemu.Acceleration;
import io.drover.sandbox.preflight.Check;
import io.drover.sandbox.preflight.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the microvm driver needs from the machine, checked at start-up without building anything or
 * booting a VM: QEMU, the acceleration its VMs will get, and the guest image, or, when it is not
 * built yet, what building it on first use needs.
 */
final class MicroVmPreflight {
    private static final String INSTALL_QEMU = "apt-get install qemu-system-x86 qemu-utils";

    private MicroVmPreflight() {
    }

    /** Every check up to the first failure. */
    static List<Check> run(MicroVmSettings settings) {
        return Check.untilFailure(List.of(() -> qemu(settings.qemu()), () -> acceleration(settings.accel()),
                () -> guest(settings.guestDir(), settings.buildGuest()), () -> disk(settings.limitDisk())));
    }

    /** Each clone's own disk is formatted on the host ({@link CloneDisk}). */
    static Check disk(boolean limitDisk) {
        if (!limitDisk) {
            return Check.passed("disk limit", "none (drover.pool.disk-limit=none): a clone writes up to the guest"
                    + " image's 4 GiB disk to /workspace and to a /tmp in guest RAM");
        }
        Optional<Path> mke2fs = Executables.find("mke2fs");
        if (mke2fs.isEmpty()) {
            return Check.failed("disk limit", "mke2fs not found on Drover's PATH (" + System.getenv("PATH") + "); it"
                    + " formats each clone's own disk of resources.diskMb: apt-get install e2fsprogs, or set"
                    + " drover.pool.disk-limit=none to run without disk limits");
        }
        return Check.passed("disk limit", "each clone's own sparse ext4 disk of resources.diskMb for /workspace and"
                + " /tmp (mke2fs at " + mke2fs.get() + ")");
    }

    /** The binary runs and says it is QEMU. */
    static Check qemu(Path qemu) {
        boolean bare = qemu.getParent() == null;
        Optional<Path> found = bare ? Executables.find(qemu.toString()) : Optional.of(qemu).filter(Files::isExecutable);
        if (found.isEmpty()) {
            return Check.failed("qemu", qemu + " not found" + (bare ? " on Drover's PATH (" + System.getenv("PATH") + ")"
                    : "") + " (drover.sandbox.microvm.qemu); QEMU runs every microVM: " + INSTALL_QEMU);
        }
        String said = Executables.version(found.get(), "--version").orElse("");
        if (!said.startsWith("QEMU")) {
            return Check.failed("qemu", found.get() + " --version printed '" + said + "', not a QEMU version: set"
                    + " drover.sandbox.microvm.qemu to qemu-system-x86_64, or " + INSTALL_QEMU);
        }
        return Check.passed("qemu", said + " at " + found.get());
    }

    /** Informational: which acceleration VMs get and why (TCG where KVM does not really accelerate). */
    static Check acceleration(String mode) {
        try {
            return Check.passed("acceleration", Acceleration.choose(mode).reason());
        } catch (IllegalArgumentException e) {
            return Check.failed("acceleration", e.getMessage());
        }
    }

    /** The image is there, or it may and can be built on first use. */
    static Check guest(Path dir, boolean mayBuild) {
        Optional<GuestImage> image = GuestImage.find(dir);
        if (image.isPresent()) {
            return Check.passed("guest image", image.get().id() + " in " + dir + ": " + image.get().describe());
        }
        if (!mayBuild) {
            return Check.failed("guest image", FirstUseGuest.notBuildable(dir));
        }
        String why = GuestImage.absence(dir).orElse("no image there");
        Optional<String> missing = GuestBuild.missingTools();
        if (missing.isPresent()) {
            return Check.failed("guest image", "not built yet in " + dir + " (" + why + "), and it cannot be built"
                    + " here: " + missing.get());
        }
        return Check.passed("guest image", "not built yet in " + dir + " (" + why + "): built on first use from Debian"
                + " packages, and the first microvm sandbox waits for it; no canary VM at start-up until it exists");
    }
}
