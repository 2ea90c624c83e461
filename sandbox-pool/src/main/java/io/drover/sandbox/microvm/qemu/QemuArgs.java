package io.drover.sandbox.microvm.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of one VM. A base and its clones must get the same machine (memory size,
 * devices in the same order, same kernel) for a saved state to load; only the memory file's
 * sharing and {@code -incoming} differ.
 *
 * @param memoryFile  the guest RAM: the base's {@code memory.ram}
 * @param shared      true for the base (its writes land in the file), false for clones (private copy-on-write)
 * @param disk        the VM's qcow2 disk, seen as /dev/vda, mounted at /workspace
 * @param scratch     a raw disk seen as /dev/vdb: a clone's own size-limited disk
 *                    ({@link #SCRATCH_DRIVE}); in a base, an unformatted placeholder that only makes
 *                    the device part of the saved state
 */
public record QemuArgs(Path binary, Acceleration acceleration, int memoryMb, Path kernel, Path initrd,
        Path memoryFile, boolean shared, Path disk, Path scratch) {

    /** Socket and file names, relative to the VM's directory (QEMU runs there: no unix path length limit). */
    public static final String QMP = "qmp.sock";
    public static final String AGENT = "agent.sock";
    public static final String PID = "qemu.pid";
    public static final String CONSOLE = "console.log";
    /** The drive id of /dev/vdb, for QMP's block_resize. */
    public static final String SCRATCH_DRIVE = "scratch";

    public List<String> argv(boolean incoming) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(),
                "-name", "drover-microvm",
                "-M", "microvm,memory-backend=mem",
                "-accel", acceleration.qemuAccel(),
                "-cpu", acceleration.cpu(),
                "-m", memoryMb + "M", "-smp", "1",
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-object", "memory-backend-file,id=mem,size=" + memoryMb + "M,mem-path=" + memoryFile
                        + ",share=" + (shared ? "on" : "off"),
                "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1 " + acceleration.kernelFlags(),
                "-serial", "file:" + CONSOLE,
                "-qmp", "unix:" + QMP + ",server=on,wait=off",
                "-device", "virtio-serial-device",
                "-chardev", "socket,id=agent,path=" + AGENT + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=io.drover.agent",
                "-drive", "id=workspace,file=" + disk + ",format=qcow2,if=none,discard=unmap",
                "-device", "virtio-blk-device,drive=workspace",
                "-drive", "id=" + SCRATCH_DRIVE + ",file=" + scratch + ",format=raw,if=none,discard=unmap",
                "-device", "virtio-blk-device,drive=" + SCRATCH_DRIVE,
                "-pidfile", PID));
        if (incoming) {
            argv.addAll(List.of("-incoming", "defer"));
        }
        return argv;
    }
}
