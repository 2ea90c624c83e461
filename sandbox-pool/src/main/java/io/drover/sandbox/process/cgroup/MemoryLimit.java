package io.drover.sandbox.process.cgroup;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The tightest memory limit that this process and its sandboxes share: set on a cgroup that holds
 * both (a pod's, when the sandboxes are under it). Limits of cgroups that hold only one of them do
 * not count: then sandboxes cannot starve this JVM, nor it them.
 *
 * @param bytes the limit
 * @param file  the control file that sets it
 */
public record MemoryLimit(long bytes, Path file) {
    /** v1 reports "no limit" as the largest page-aligned long; anything this large is none. */
    private static final long UNLIMITED = 1L << 62;

    public static Optional<MemoryLimit> shared(CgroupLayout layout, OwnCgroup own, String parent) {
        Optional<Path> mine = own.memory(layout);
        Optional<Path> mount = layout.pureV2() ? layout.unified() : Optional.ofNullable(layout.v1().get("memory"));
        if (mine.isEmpty() || mount.isEmpty() || !mine.get().startsWith(mount.get())) {
            return Optional.empty();
        }
        Path sandboxes = mount.get().resolve(parent);
        Path common = mount.get();
        Path relMine = mount.get().relativize(mine.get());
        Path relSandboxes = mount.get().relativize(sandboxes);
        for (int i = 0; i < Math.min(relMine.getNameCount(), relSandboxes.getNameCount()); i++) {
            if (!relMine.getName(i).equals(relSandboxes.getName(i))) {
                break;
            }
            common = common.resolve(relMine.getName(i));
        }
        String control = layout.pureV2() ? "memory.max" : "memory.limit_in_bytes";
        Optional<MemoryLimit> tightest = Optional.empty();
        for (Path dir = common; dir != null && dir.startsWith(mount.get()); dir = dir.getParent()) {
            OptionalLong limit = CgroupFiles.readLong(dir.resolve(control)); // "max" parses to none
            if (limit.isPresent() && limit.getAsLong() < UNLIMITED
                    && (tightest.isEmpty() || limit.getAsLong() < tightest.get().bytes())) {
                tightest = Optional.of(new MemoryLimit(limit.getAsLong(), dir.resolve(control)));
            }
        }
        return tightest;
    }
}
