package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseBuildLock;
import io.drover.sandbox.InProcessBaseBuildLock;
import io.drover.sandbox.Resources;
import io.drover.sandbox.process.ProcessDriverSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

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
 * @param limitDisk    give each clone its own disk of {@code resources.diskMb} for /workspace and /tmp
 *                     ({@link CloneDisk}); false ({@code drover.pool.disk-limit=none}): no limit but the
 *                     guest image's 4 GiB disk and a /tmp in guest RAM
 * @param defaultDiskMb the disk of a clone whose resources ask for the default ({@code drover.pool.sandbox-disk-mb})
 */
public record MicroVmSettings(Path root, Path guestDir, int memoryMb, String accel, Duration bootTimeout,
        Duration setupTimeout, BaseBuildLock buildLock, Path qemu, boolean buildGuest, boolean limitDisk,
        int defaultDiskMb) {

    public MicroVmSettings {
        if (memoryMb < 64 || memoryMb > 65536) {
            throw new IllegalArgumentException("drover.sandbox.microvm.memory-mb: expected 64 to 65536, was " + memoryMb);
        }
        if (defaultDiskMb < ProcessDriverSettings.MIN_DISK_MB) {
            throw new IllegalArgumentException("drover.pool.sandbox-disk-mb must be at least "
                    + ProcessDriverSettings.MIN_DISK_MB + " (MiB; an ext4 disk smaller than that has no room for a"
                    + " workspace); was " + defaultDiskMb);
        }
    }

    /** The disk of a clone with these resources, in MiB; empty when disks are not limited. */
    public OptionalInt diskMbOf(Resources resources) {
        if (!limitDisk) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(resources.diskMb() == Resources.DRIVER_DEFAULT_DISK ? defaultDiskMb : resources.diskMb());
    }

    public static Path defaultGuestDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "drover", "microvm", "guest");
    }

    public static MicroVmSettings defaults(Path root) {
        return new MicroVmSettings(root, defaultGuestDir(), 256, "auto", Duration.ofMinutes(2), Duration.ofMinutes(30),
                new InProcessBaseBuildLock(), Path.of("qemu-system-x86_64"), true, true, ProcessDriverSettings.DEFAULT_DISK_MB);
    }

    public MicroVmSettings withBuildLock(BaseBuildLock lock) {
        return new MicroVmSettings(root, guestDir, memoryMb, accel, bootTimeout, setupTimeout, lock, qemu, buildGuest, limitDisk, defaultDiskMb);
    }

    public MicroVmSettings withGuest(Path dir, boolean build) {
        return new MicroVmSettings(root, dir, memoryMb, accel, bootTimeout, setupTimeout, buildLock, qemu, build, limitDisk, defaultDiskMb);
    }

    /** {@code limit} false: {@code drover.pool.disk-limit=none}; {@code defaultMb}: {@code drover.pool.sandbox-disk-mb}. */
    public MicroVmSettings withDisk(boolean limit, int defaultMb) {
        return new MicroVmSettings(root, guestDir, memoryMb, accel, bootTimeout, setupTimeout, buildLock, qemu, buildGuest,
                limit, defaultMb);
    }

    public MicroVmSettings withMemoryMb(int mb) {
        return new MicroVmSettings(root, guestDir, mb, accel, bootTimeout, setupTimeout, buildLock, qemu, buildGuest, limitDisk, defaultDiskMb);
    }

    public MicroVmSettings withQemu(Path binary) {
        return new MicroVmSettings(root, guestDir, memoryMb, accel, bootTimeout, setupTimeout, buildLock, binary, buildGuest, limitDisk, defaultDiskMb);
    }

    public MicroVmSettings withAccel(String mode) {
        return new MicroVmSettings(root, guestDir, memoryMb, mode, bootTimeout, setupTimeout, buildLock, qemu, buildGuest, limitDisk, defaultDiskMb);
    }
}
