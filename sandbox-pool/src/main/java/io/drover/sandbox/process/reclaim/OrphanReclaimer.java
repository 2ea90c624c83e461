package io.drover.sandbox.process.reclaim;

import io.drover.sandbox.process.cgroup.CgroupTree;
import io.drover.sandbox.process.cgroup.SandboxCgroup;
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
 * Reclaims what crashed drivers left: their processes (through their cgroups), overlay mounts,
 * cgroups and directories. Only owners whose process is gone are touched; several Drover processes
 * (and test JVMs) share a machine, and a live one's sandboxes are never reclaimed.
 */
public final class OrphanReclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReclaimer.class);

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
            reclaim(name);
            reclaimed.add(name);
        }
        return reclaimed;
    }

    private void reclaim(String owner) {
        int killed = 0;
        Set<String> sandboxes = cgroups.sandboxes(owner);
        // Processes first: a mount in use by a live process could only be detached lazily.
        for (String id : sandboxes) {
            SandboxCgroup cgroup = cgroups.of(owner, id);
            killed += cgroup.killAll();
            cgroup.remove();
        }
        cgroups.removeOwner(owner);
        Path dir = sandboxesDir.resolve(owner);
        int mounts = OverlayMount.mountPointsUnder(dir).size();
        Trees.delete(dir);
        LOG.info("Reclaimed the sandboxes of dead driver {}: {} cgroups, {} processes killed, {} mounts, directory {}"
                + " removed", owner, sandboxes.size(), killed, mounts, dir);
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
