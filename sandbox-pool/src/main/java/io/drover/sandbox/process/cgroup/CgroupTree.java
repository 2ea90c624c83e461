package io.drover.sandbox.process.cgroup;

import io.drover.sandbox.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Drover's part of every hierarchy: {@code <mount>/<parent>/<owner>/<sandbox>}. One owner directory
 * per driver instance, so that a driver starting up can tell a dead driver's cgroups from a live one's.
 */
public final class CgroupTree {
    private static final List<String> V2_CONTROLLERS = List.of("memory", "pids", "cpu");

    private final CgroupLayout layout;
    private final String parent;

    public CgroupTree(CgroupLayout layout, String parent) {
        this.layout = layout;
        this.parent = parent;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** Creates the owner's directories; on v2, hands the controllers down to the sandboxes below. */
    public void createOwner(String owner) {
        for (Path hierarchy : layout.hierarchies()) {
            mkdirs(hierarchy.resolve(parent).resolve(owner));
        }
        if (layout.pureV2()) {
            Path unified = layout.unified().orElseThrow();
            for (Path level : List.of(unified, unified.resolve(parent), unified.resolve(parent).resolve(owner))) {
                for (String controller : V2_CONTROLLERS) {
                    CgroupFiles.tryWrite(level.resolve("cgroup.subtree_control"), "+" + controller);
                }
            }
        }
    }

    public SandboxCgroup create(String owner, String id, Resources resources) {
        SandboxCgroup cgroup = of(owner, id);
        try {
            cgroup.create(resources);
        } catch (RuntimeException e) {
            cgroup.remove();
            throw e;
        }
        return cgroup;
    }

    public SandboxCgroup of(String owner, String id) {
        return new SandboxCgroup(layout,
                layout.hierarchies().stream().map(h -> h.resolve(parent).resolve(owner).resolve(id)).toList());
    }

    /** Owner names with a directory in any hierarchy. */
    public Set<String> owners() {
        return children(hierarchy -> hierarchy.resolve(parent));
    }

    public Set<String> sandboxes(String owner) {
        return children(hierarchy -> hierarchy.resolve(parent).resolve(owner));
    }

    /** Removes the owner's directories; its sandboxes must have been removed first. */
    public void removeOwner(String owner) {
        for (Path hierarchy : layout.hierarchies()) {
            try {
                Files.deleteIfExists(hierarchy.resolve(parent).resolve(owner));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove cgroup " + hierarchy.resolve(parent).resolve(owner), e);
            }
        }
    }

    private Set<String> children(java.util.function.Function<Path, Path> dirOf) {
        Set<String> names = new TreeSet<>();
        for (Path hierarchy : layout.hierarchies()) {
            Path dir = dirOf.apply(hierarchy);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return names;
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup " + dir + "; Drover needs root (or a delegated"
                    + " cgroup subtree) to limit sandboxes", e);
        }
    }
}
