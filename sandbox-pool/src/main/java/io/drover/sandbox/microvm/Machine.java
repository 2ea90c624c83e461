package io.drover.sandbox.microvm;

import io.drover.sandbox.SandboxException;
import io.drover.sandbox.microvm.guest.FirstUseGuest;
import io.drover.sandbox.microvm.guest.GuestImage;
import io.drover.sandbox.microvm.qemu.Acceleration;
import io.drover.sandbox.microvm.qemu.QemuArgs;
import java.nio.file.Path;

/**
 * What every VM of one driver shares: QEMU, the acceleration, the guest image (found or built on
 * first use) and the RAM size.
 */
record Machine(Path qemu, Acceleration acceleration, FirstUseGuest guests, int memoryMb) {

    /** The guest image; the first call may build it, which takes seconds to minutes. */
    GuestImage guest() throws SandboxException {
        return guests.image();
    }

    QemuArgs args(GuestImage guest, Path memoryFile, boolean shared, Path disk, Path scratch) {
        return new QemuArgs(qemu, acceleration, memoryMb, guest.kernel(), guest.initrd(), memoryFile, shared, disk,
                scratch);
    }
}
