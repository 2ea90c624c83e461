package io.drover.sandbox.process.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2 lets a non-root cgroup hand controllers to children only while no process is in it
 * itself. In a container with a cgroup namespace of its own (a Kubernetes pod's), Drover starts in
 * the namespace's root cgroup, the very one its sandbox tree hangs from: it first moves itself (and
 * whatever else is there) into a leaf beside that tree, so that the sandboxes are siblings of the
 * JVM under the pod's cgroup and its memory limit.
 */
public final class LeafPlacement {
    /** The leaf this process moves to, beside the sandboxes' parent. */
    public static final String LEAF = "drover-jvm";

    private LeafPlacement() {
    }

    /**
     * Moves the processes of the cgroup that will hold {@code parent} into its {@value #LEAF} child,
     * when that cgroup is this process's own, on a pure v2 layout, and not the machine's root cgroup
     * (which the rule exempts; only non-root cgroups have {@code cgroup.type}).
     *
     * @return the leaf, when the processes were moved
     */
    public static Optional<Path> ifNeeded(CgroupLayout layout, OwnCgroup own, String parent) {
        if (!layout.pureV2() || own.unified().isEmpty()) {
            return Optional.empty();
        }
        Path holder = layout.unified().orElseThrow().resolve(parent).getParent();
        Path mine = own.unified().get();
        if (!mine.equals(holder) || !Files.exists(holder.resolve("cgroup.type"))) {
            return Optional.empty();
        }
        Path leaf = holder.resolve(LEAF);
        try {
            Files.createDirectories(leaf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cgroup " + leaf + " to move this process into, so that"
                    + " sandboxes can get their own cgroups beside it (is /sys/fs/cgroup writable?)", e);
        }
        List<Long> pids = CgroupFiles.pids(holder);
        for (long pid : pids) {
            // A process that exits meanwhile cannot be moved; it no longer counts either.
            append(leaf.resolve("cgroup.procs"), Long.toString(pid));
        }
        return Optional.of(leaf);
    }

    private static void append(Path procs, String pid) {
        try {
            Files.writeString(procs, pid + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            // gone, or a kernel thread; see above
        }
    }
}
