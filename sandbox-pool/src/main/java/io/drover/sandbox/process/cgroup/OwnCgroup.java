package io.drover.sandbox.process.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cgroups this process is in, as directories of the mounted hierarchies, from
 * {@code /proc/self/cgroup}. In a container with a cgroup namespace of its own, both the paths and
 * the mount start at the container's cgroup, so they still meet.
 *
 * @param unified this process's directory in the cgroup2 tree, if there is one
 * @param v1      v1 controller name to this process's directory in that controller's hierarchy
 */
public record OwnCgroup(Optional<Path> unified, Map<String, Path> v1) {

    public OwnCgroup {
        v1 = Map.copyOf(v1);
    }

    public static OwnCgroup current(CgroupLayout layout) {
        try {
            return parse(layout, Files.readString(Path.of("/proc/self/cgroup")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/cgroup to find this process's cgroups", e);
        }
    }

    /** {@code procSelfCgroup}: lines of {@code id:controllers:path}; {@code 0::path} is the cgroup2 one. */
    static OwnCgroup parse(CgroupLayout layout, String procSelfCgroup) {
        Optional<Path> unified = Optional.empty();
        Map<String, Path> v1 = new LinkedHashMap<>();
        for (String line : procSelfCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            String relative = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (f[0].equals("0") && f[1].isEmpty()) {
                unified = layout.unified().map(mount -> mount.resolve(relative));
            } else {
                for (String controller : f[1].split(",")) {
                    Path mount = layout.v1().get(controller);
                    if (mount != null) {
                        v1.put(controller, mount.resolve(relative));
                    }
                }
            }
        }
        return new OwnCgroup(unified, v1);
    }

    /** This process's directory in the hierarchy that holds the memory controller here. */
    Optional<Path> memory(CgroupLayout layout) {
        return layout.pureV2() ? unified : Optional.ofNullable(v1.get("memory"));
    }
}
