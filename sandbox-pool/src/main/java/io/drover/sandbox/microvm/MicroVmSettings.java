package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.InProcessBaseBuildLock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * @param root         holds {@code bases/} (memory file, device state and disk of each base) and
 *                     {@code vms/} (each clone's directory: sockets, disk overlay, saved state)
 * @param guestDir     the guest image ({@link io.drover.sandbox.microvm.guest.GuestImage})
 * @param memoryMb     guest RAM of every VM; a base and its clones share it, so it is one figure per driver
 * @param accel        auto, kvm or tcg
 * @param bootTimeout  a cold boot until the agent answers
 * @param setupTimeout per setup step
 * @param qemu         the qemu-system-x86_64 binary
 * @param buildGuest   build a missing or stale guest image in {@code guestDir} on first use; false: use
 *                     only an image already there (the preflight fails without one)
 */
public record MicroVmSettings(Path root, Path guestDir, int memoryMb, String accel, Duration bootTimeout,
        Duration setupTimeout, BaseBuildLock buildLock, Path qemu, boolean buildGuest) {

    public MicroVmSettings {
        if (memoryMb < 64 || memoryMb > 65536) {
            throw new IllegalArgumentException("drover.sandbox.microvm.memory-mb: expected 64 to 65536, was " + memoryMb);
        }
    }

    public static Path defaultGuestDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "drover", "microvm", "guest");
    }

    public static MicroVmSettings defaults(Path root) {
        return new MicroVmSettings(root, defaultGuestDir(), 256, "auto", Duration.ofMinutes(2), Duration.ofMinutes(30),
                new InProcessBaseBuildLock(), Path.of("qemu-system-x86_64"), true);
    }

    public MicroVmSettings withBuildLock(BaseBuildLock lock) {
        return new MicroVmSettings(root, guestDir, memoryMb, accel, bootTimeout, setupTimeout, lock, qemu, buildGuest);
    }

    public MicroVmSettings withGuest(Path dir, boolean build) {
        return new MicroVmSettings(root, dir, memoryMb, accel, bootTimeout, setupTimeout, buildLock, qemu, build);
    }

    public MicroVmSettings withMemoryMb(int mb) {
        return new MicroVmSettings(root, guestDir, mb, accel, bootTimeout, setupTimeout, buildLock, qemu, buildGuest);
    }

    public MicroVmSettings withQemu(Path binary) {
        return new MicroVmSettings(root, guestDir, memoryMb, accel, bootTimeout, setupTimeout, buildLock, binary, buildGuest);
    }

    public MicroVmSettings withAccel(String mode) {
        return new MicroVmSettings(root, guestDir, memoryMb, mode, bootTimeout, setupTimeout, buildLock, qemu, buildGuest);
    }
}
