package io.drover.sandbox.process.reclaim;

import io.drover.sandbox.process.cgroup.CgroupTree;
import io.drover.sandbox.process.cgroup.SandboxCgroup;
import io.drover.sandbox.process.disk.SandboxDisk;
import io.drover.sandbox.process.network.SandboxNetwork;
import io.drover.sandbox.process.overlay.OverlayMount;
import io.drover.sandbox.process.overlay.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims what crashed drivers left: their processes (through their cgroups), network helpers
 * and namespaces, overlay mounts, disk images with their mounts and loop devices, cgroups and directories. Only owners whose process is gone are touched; several Drover processes
 * (and test JVMs) share a machine, and a live one's sandboxes are never reclaimed.
 */
public final class OrphanReclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReclaimer.class);

    /** A sandbox's disk image in its directory (SandboxDirs.IMAGE). */
    private static final String DISK_IMAGE = "disk.img";

    private final Path sandboxesDir;
    private final CgroupTree cgroups;

    public OrphanReclaimer(Path sandboxesDir, CgroupTree cgroups) {
        this.sandboxesDir = sandboxesDir;
        this.cgroups = cgroups;
    }

    /** Returns the names of the owners reclaimed. */
    public Set<String> reclaimDeadOwners() {
        Set<String> reclaimed = new TreeSet<>();
        Set<String> candidates = new TreeSet<>(cgroups.owners());
        candidates.addAll(directories());
        for (String name : candidates) {
            Owner owner = Owner.parse(name).orElse(null);
            if (owner == null || owner.isAlive()) {
                continue;
            }
            try {
                reclaim(name);
                reclaimed.add(name);
            } catch (RuntimeException e) {
                LOG.warn("Could not reclaim dead driver {}: {}; the next start tries again", name, e.getMessage());
            }
        }
        return reclaimed;
    }

    /**
     * Best effort, sandbox by sandbox: a driver killed in the middle of creating or removing a
     * sandbox leaves it half made, and what cannot be reclaimed now must not stop this driver from
     * starting. It is logged, and the next start tries again.
     */
    private void reclaim(String owner) {
        int killed = 0;
        Set<String> sandboxes = cgroups.sandboxes(owner);
        // Processes first: a mount in use by a live process could only be detached lazily.
        for (String id : sandboxes) {
            try {
                SandboxCgroup cgroup = cgroups.of(owner, id);
                killed += cgroup.killAll();
                cgroup.remove();
            } catch (RuntimeException e) {
                LOG.warn("Could not reclaim the cgroups of sandbox {} of dead driver {}: {}; the next start tries again",
                        id, owner, e.getMessage());
            }
        }
        Path dir = sandboxesDir.resolve(owner);
        int mounts = 0;
        int disks = 0;
        try {
            // pasta runs outside the sandbox's cgroup (a command killed in it must not cut the network).
            subdirectories(dir).forEach(SandboxNetwork::release);
            // Overlays first, then the disks under them: their loop devices must not outlive the images.
            for (Path sandbox : subdirectories(dir)) {
                OverlayMount.unmount(sandbox.resolve("merged"));
                if (Files.exists(sandbox.resolve(DISK_IMAGE))) {
                    disks++;
                }
                SandboxDisk.release(sandbox.resolve(DISK_IMAGE), sandbox.resolve("disk"));
            }
            cgroups.removeOwner(owner);
            mounts = OverlayMount.mountPointsUnder(dir).size();
            Trees.delete(dir);
        } catch (RuntimeException e) {
            LOG.warn("Could not fully reclaim dead driver {}: {}; the next start tries again", owner, e.getMessage());
            return;
        }
        LOG.info("Reclaimed the sandboxes of dead driver {}: {} cgroups, {} processes killed, {} disks, {} more mounts,"
                + " directory {} removed", owner, sandboxes.size(), killed, disks, mounts, dir);
    }

    private static java.util.List<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private Set<String> directories() {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(sandboxesDir)) {
            return names;
        }
        try (Stream<Path> entries = Files.list(sandboxesDir)) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sandboxesDir, e);
        }
        return names;
    }
}
