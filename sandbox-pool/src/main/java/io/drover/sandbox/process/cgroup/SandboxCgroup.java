package io.drover.sandbox.process.cgroup;

import io.drover.sandbox.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cgroup(s) of one sandbox: one directory per hierarchy, all named {@code <parent>/<owner>/<id>}.
 * Every process of the sandbox is in all of them, so limits, metering, freeze and kill cover it whole.
 */
public final class SandboxCgroup {
    private static final long FREEZE_TIMEOUT_MS = 5_000;
    private static final long KILL_TIMEOUT_MS = 10_000;

    private final CgroupLayout layout;
    private final List<Path> dirs;

    SandboxCgroup(CgroupLayout layout, List<Path> dirs) {
        this.layout = layout;
        this.dirs = List.copyOf(dirs);
    }

    void create(Resources resources) {
        for (Path dir : dirs) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot create cgroup " + dir, e);
            }
        }
        long cpuPeriod = 100_000;
        long cpuQuota = Math.max(1_000, Math.round(resources.vcpus() * cpuPeriod));
        if (layout.pureV2()) {
            Path dir = unifiedDir().orElseThrow();
            CgroupFiles.write(dir.resolve("memory.max"), Long.toString(resources.memoryBytes()));
            // Without swap limits a hog would page out instead of being stopped at its limit.
            CgroupFiles.tryWrite(dir.resolve("memory.swap.max"), "0");
            CgroupFiles.write(dir.resolve("pids.max"), Integer.toString(resources.maxProcesses()));
            CgroupFiles.write(dir.resolve("cpu.max"), cpuQuota + " " + cpuPeriod);
        } else {
            Path memory = v1Dir("memory");
            CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(resources.memoryBytes()));
            CgroupFiles.tryWrite(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(resources.memoryBytes()));
            CgroupFiles.tryWrite(memory.resolve("memory.swappiness"), "0");
            CgroupFiles.write(v1Dir("pids").resolve("pids.max"), Integer.toString(resources.maxProcesses()));
            Path cpu = v1Dir("cpu");
            CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(cpuPeriod));
            CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(cpuQuota));
        }
    }

    /** The files a launcher writes its own pid into before it execs the sandbox, one per hierarchy. */
    public List<Path> procsFiles() {
        return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    public List<Path> directories() {
        return dirs;
    }

    /** Stops every process of the sandbox; returns once the kernel reports the cgroup frozen. */
    public void freeze() {
        if (layout.hasUnified()) {
            Path dir = unifiedDir().orElseThrow();
            CgroupFiles.write(dir.resolve("cgroup.freeze"), "1");
            awaitOrFail(() -> CgroupFiles.keyed(dir.resolve("cgroup.events"), "frozen").orElse(0) == 1, "freeze");
        } else {
            Path state = v1Dir("freezer").resolve("freezer.state");
            CgroupFiles.write(state, "FROZEN");
            awaitOrFail(() -> CgroupFiles.read(state).equals("FROZEN"), "freeze");
        }
    }

    public void thaw() {
        if (layout.hasUnified()) {
            CgroupFiles.write(unifiedDir().orElseThrow().resolve("cgroup.freeze"), "0");
        } else {
            CgroupFiles.write(v1Dir("freezer").resolve("freezer.state"), "THAWED");
        }
    }

    /** Kills every process in the sandbox, however it was started, and waits until none is left. */
    public int killAll() {
        if (dirs.stream().noneMatch(Files::isDirectory)) {
            return 0; // already removed, e.g. reclaimed by another driver after this one was declared dead
        }
        int killed = pids().size();
        boolean whole = layout.hasUnified() ? Files.isDirectory(unifiedDir().orElseThrow())
                : Files.isDirectory(v1Dir("freezer"));
        if (!whole) {
            // Half made or half removed by a driver that died in between: no freezer to hold it still.
            killListedUntilEmpty();
        } else if (layout.hasUnified()) {
            Path dir = unifiedDir().orElseThrow();
            if (Files.exists(dir.resolve("cgroup.kill"))) {
                CgroupFiles.write(dir.resolve("cgroup.kill"), "1");
            } else {
                signalAllFrozen();
            }
        } else {
            signalAllFrozen();
        }
        awaitOrFail(() -> dirs.stream().allMatch(d -> CgroupFiles.pids(d).isEmpty()), "kill");
        return killed;
    }

    private void killListedUntilEmpty() {
        CgroupFiles.awaitTrue(() -> {
            List<Long> left = pids();
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return left.isEmpty();
        }, KILL_TIMEOUT_MS);
    }

    /** v1 (and v2 before 5.14): freeze so that nothing forks while we kill, kill, then thaw so the kill lands. */
    private void signalAllFrozen() {
        freeze();
        for (Path dir : dirs) {
            CgroupFiles.pids(dir).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        thaw();
    }

    /** Removes the cgroup directories; the cgroup must be empty (see {@link #killAll()}). */
    public void remove() {
        for (Path dir : dirs) {
            if (!Files.exists(dir)) {
                continue;
            }
            // A killed task can linger for a moment as a zombie charged to the cgroup: rmdir then says EBUSY.
            boolean removed = CgroupFiles.awaitTrue(() -> {
                try {
                    Files.deleteIfExists(dir);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }, KILL_TIMEOUT_MS);
            if (!removed) {
                throw new IllegalStateException("cgroup " + dir + " could not be removed; processes "
                        + CgroupFiles.pids(dir) + " are still in it");
            }
        }
    }

    public List<Long> pids() {
        List<Long> all = new ArrayList<>();
        dirs.forEach(d -> CgroupFiles.pids(d).stream().filter(p -> !all.contains(p)).forEach(all::add));
        return all;
    }

    /** CPU time of every process that ran in the sandbox, exited ones included. */
    public Optional<Duration> cpuTime() {
        if (layout.pureV2()) {
            return usec(CgroupFiles.keyed(unifiedDir().orElseThrow().resolve("cpu.stat"), "usage_usec"));
        }
        OptionalLong nanos = CgroupFiles.readLong(v1Dir("cpuacct").resolve("cpuacct.usage"));
        if (nanos.isPresent()) {
            return Optional.of(Duration.ofNanos(nanos.getAsLong()));
        }
        return unifiedDir().flatMap(d -> usec(CgroupFiles.keyed(d.resolve("cpu.stat"), "usage_usec")));
    }

    /** The highest memory use seen; empty on v2 kernels before 5.19, which lack memory.peak. */
    public OptionalLong memoryPeakBytes() {
        if (layout.pureV2()) {
            return CgroupFiles.readLong(unifiedDir().orElseThrow().resolve("memory.peak"));
        }
        return CgroupFiles.readLong(v1Dir("memory").resolve("memory.max_usage_in_bytes"));
    }

    /** How many processes the kernel's OOM killer has killed in this sandbox so far. */
    public long oomKills() {
        if (layout.pureV2()) {
            return CgroupFiles.keyed(unifiedDir().orElseThrow().resolve("memory.events"), "oom_kill").orElse(0);
        }
        return CgroupFiles.keyed(v1Dir("memory").resolve("memory.oom_control"), "oom_kill").orElse(0);
    }

    private static Optional<Duration> usec(OptionalLong micros) {
        return micros.isPresent() ? Optional.of(Duration.ofNanos(micros.getAsLong() * 1_000)) : Optional.empty();
    }

    private Optional<Path> unifiedDir() {
        return layout.unified().flatMap(u -> dirs.stream().filter(d -> d.startsWith(u)).findFirst());
    }

    private Path v1Dir(String controller) {
        Path hierarchy = layout.v1().get(controller);
        return dirs.stream().filter(d -> d.startsWith(hierarchy)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + controller + " cgroup in " + dirs));
    }

    private void awaitOrFail(java.util.function.BooleanSupplier done, String what) {
        if (!CgroupFiles.awaitTrue(done, what.equals("kill") ? KILL_TIMEOUT_MS : FREEZE_TIMEOUT_MS)) {
            throw new IllegalStateException("cgroup " + what + " did not complete in " + dirs + "; processes: " + pids());
        }
    }
}
