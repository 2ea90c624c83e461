package io.drover.sandbox.process.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loop devices backed by a given image file, so that none outlives its sandbox. */
public final class LoopDevices {
    private LoopDevices() {
    }

    private static final Path SYS_BLOCK = Path.of("/sys/block");
    private static final String DELETED = " (deleted)";

    /**
     * The loop devices attached to {@code image}, e.g. {@code /dev/loop3}: what {@code losetup -j}
     * says, read from sysfs without a process (this runs at every destroy).
     */
    public static List<String> of(Path image) {
        String target = image.toAbsolutePath().normalize().toString();
        List<String> devices = new ArrayList<>();
        try (Stream<Path> blocks = Files.list(SYS_BLOCK)) {
            for (Path block : blocks.filter(b -> b.getFileName().toString().startsWith("loop")).toList()) {
                String backing;
                try {
                    backing = Files.readString(block.resolve("loop").resolve("backing_file")).strip();
                } catch (IOException unattached) {
                    continue;
                }
                if (backing.endsWith(DELETED)) {
                    backing = backing.substring(0, backing.length() - DELETED.length());
                }
                if (backing.equals(target)) {
                    devices.add("/dev/" + block.getFileName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the loop devices in " + SYS_BLOCK, e);
        }
        return devices;
    }

    /**
     * Detaches every loop device still attached to {@code image} that the kernel would not free by
     * itself; returns how many it found. A device with autoclear set (mount(8)'s {@code -o loop}
     * sets it) is freed by the kernel once its last user is gone: just after an unmount, or after a
     * lazy unmount's last process; detaching it too would only race the kernel.
     */
    public static int detach(Path image) {
        List<String> devices = of(image);
        for (String device : devices) {
            if (autoclear(device)) {
                continue;
            }
            try {
                Tools.run("losetup", "-d", device);
            } catch (IllegalStateException alreadyGone) {
                // freed by autoclear between the listing and now
            }
        }
        return devices.size();
    }

    private static boolean autoclear(String device) {
        try {
            return Files.readString(SYS_BLOCK.resolve(Path.of(device).getFileName()).resolve("loop").resolve("autoclear"))
                    .strip().equals("1");
        } catch (IOException gone) {
            return true;
        }
    }
}
