package io.drover.sandbox.microvm;

import io.drover.sandbox.microvm.qemu.Acceleration;
import io.drover.sandbox.microvm.qemu.QemuArgs;
import java.nio.file.Path;

/** What every VM of one driver shares: QEMU, the acceleration, the guest image and the RAM size. */
record Machine(Path qemu, Acceleration acceleration, GuestImage guest, int memoryMb) {

    QemuArgs args(Path memoryFile, boolean shared, Path disk) {
        return new QemuArgs(qemu, acceleration, memoryMb, guest.kernel(), guest.initrd(), memoryFile, shared, disk);
    }
}
