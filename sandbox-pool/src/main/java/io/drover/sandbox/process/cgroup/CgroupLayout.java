package io.drover.sandbox.process.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the cgroup hierarchies are mounted on this machine. Production hosts mostly run the pure
 * v2 layout; older distributions (and the build machines) run a hybrid one: v1 hierarchies hold
 * the controllers and a controller-less cgroup2 tree still offers freeze and kill.
 *
 * @param unified the cgroup2 mount, if any
 * @param v1      v1 controller name to its hierarchy's mount point (co-mounted controllers share one)
 */
public record CgroupLayout(Optional<Path> unified, Map<String, Path> v1) {

    /** The v1 controllers Drover uses when the unified tree cannot limit and meter. */
    static final List<String> V1_CONTROLLERS = List.of("memory", "pids", "cpu", "cpuacct", "freezer");

    public CgroupLayout {
        v1 = Map.copyOf(v1);
    }

    public static CgroupLayout detect() {
        return parse(Path.of("/proc/self/mounts"));
    }

    static CgroupLayout parse(Path mounts) {
        Optional<Path> unified = Optional.empty();
        Map<String, Path> v1 = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(mounts)) {
                String[] f = line.split(" ");
                if (f.length < 4) {
                    continue;
                }
                if (f[2].equals("cgroup2")) {
                    unified = Optional.of(Path.of(f[1]));
                } else if (f[2].equals("cgroup")) {
                    for (String option : f[3].split(",")) {
                        if (V1_CONTROLLERS.contains(option)) {
                            v1.put(option, Path.of(f[1]));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mounts + " to find the cgroup hierarchies", e);
        }
        return new CgroupLayout(unified, v1);
    }

    /** True when the cgroup2 tree holds the controllers (no v1 memory hierarchy). */
    public boolean pureV2() {
        return unified.isPresent() && !v1.containsKey("memory");
    }

    /** True when a cgroup2 tree exists, so freeze and kill use {@code cgroup.freeze} and {@code cgroup.kill}. */
    public boolean hasUnified() {
        return unified.isPresent();
    }

    public String describe() {
        if (pureV2()) {
            return "cgroup v2 unified";
        }
        return unified.isPresent() ? "hybrid v1+v2" : "cgroup v1";
    }

    /** Every hierarchy mount point a sandbox needs a cgroup in, each once. */
    public Set<Path> hierarchies() {
        Set<Path> all = new java.util.LinkedHashSet<>();
        if (!pureV2()) {
            V1_CONTROLLERS.stream().map(v1::get).filter(java.util.Objects::nonNull).forEach(all::add);
        }
        unified.ifPresent(all::add);
        return all;
    }

    /** Fails at start-up, naming what is missing, rather than at the first sandbox. */
    public void requireUsable() {
        if (pureV2()) {
            return;
        }
        List<String> missing = V1_CONTROLLERS.stream().filter(c -> !v1.containsKey(c))
                .filter(c -> !(c.equals("freezer") && unified.isPresent())).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("cgroup controllers " + missing + " are not mounted (layout: " + describe()
                    + "); mount them or run on a cgroup v2 host");
        }
    }
}
