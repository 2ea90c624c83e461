package io.drover.sandbox.process.disk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loop devices backed by a given image file, so that none outlives its sandbox. */
public final class LoopDevices {
    private LoopDevices() {
    }

    /** The loop devices attached to {@code image} ({@code losetup -j}), e.g. {@code /dev/loop3}. */
    public static List<String> of(Path image) {
        List<String> devices = new ArrayList<>();
        for (String line : Tools.run("losetup", "-j", image.toAbsolutePath().normalize().toString()).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                devices.add(line.substring(0, colon));
            }
        }
        return devices;
    }

    /**
     * Detaches every loop device still attached to {@code image}; returns how many. A device whose
     * file system is still mounted is only marked to detach once unmounted (autoclear).
     */
    public static int detach(Path image) {
        List<String> devices = of(image);
        for (String device : devices) {
            try {
                Tools.run("losetup", "-d", device);
            } catch (IllegalStateException alreadyGone) {
                // freed by autoclear between the listing and now
            }
        }
        return devices.size();
    }
}
