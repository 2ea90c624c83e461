package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import io.drover.sandbox.process.cgroup.SandboxCgroup;
import io.drover.sandbox.process.network.SandboxNetwork;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A process sandbox: an overlay workspace, a cgroup, maybe a network, and the commands running in it. */
final class ProcessSandbox implements Sandbox {
    private final String id;
    private final BaseSnapshot base;
    private final Resources resources;
    private final SandboxDirs dirs;
    private final SandboxCgroup cgroup;
    private final java.util.Optional<SandboxNetwork> network;
    private final java.util.Optional<io.drover.sandbox.process.disk.SandboxDisk> disk;
    final Set<ProcessExecution> running = ConcurrentHashMap.newKeySet();
    final AtomicLong execSequence = new AtomicLong();
    private SandboxState state = SandboxState.WARM;
    private long stateSinceNanos = System.nanoTime();
    private long activeNanos;
    private long standbyNanos;
    private Usage finalUsage;

    ProcessSandbox(String id, BaseSnapshot base, Resources resources, SandboxDirs dirs, SandboxCgroup cgroup,
            java.util.Optional<SandboxNetwork> network,
            java.util.Optional<io.drover.sandbox.process.disk.SandboxDisk> disk) {
        this.network = network;
        this.disk = disk;
        this.id = id;
        this.base = base;
        this.resources = resources;
        this.dirs = dirs;
        this.cgroup = cgroup;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BaseSnapshot base() {
        return base;
    }

    @Override
    public Resources resources() {
        return resources;
    }

    @Override
    public synchronized SandboxState state() {
        return state;
    }

    SandboxDirs dirs() {
        return dirs;
    }

    SandboxCgroup cgroup() {
        return cgroup;
    }

    /** Its network namespace, when its policy gives it one. */
    java.util.Optional<SandboxNetwork> network() {
        return network;
    }

    /** Its size-limited file system, when the driver limits disks. */
    java.util.Optional<io.drover.sandbox.process.disk.SandboxDisk> disk() {
        return disk;
    }

    /** Moves to {@code next}, adding the time spent in the current state to its meter. */
    synchronized void moveTo(SandboxState next) {
        long now = System.nanoTime();
        if (state == SandboxState.ACTIVE) {
            activeNanos += now - stateSinceNanos;
        } else if (state == SandboxState.STANDBY) {
            standbyNanos += now - stateSinceNanos;
        }
        state = next;
        stateSinceNanos = now;
    }

    /** After a command ends: back to WARM unless others still run or the sandbox was parked or destroyed. */
    synchronized void commandEnded(ProcessExecution execution) {
        running.remove(execution);
        if (running.isEmpty() && state == SandboxState.ACTIVE) {
            moveTo(SandboxState.WARM);
        }
    }

    /** What the sandbox used, read just before its cgroup was removed; empty while it lives. */
    synchronized java.util.Optional<Usage> finalUsage() {
        return java.util.Optional.ofNullable(finalUsage);
    }

    synchronized void recordFinalUsage(Usage usage) {
        finalUsage = usage;
    }

    synchronized Duration activeTime() {
        long current = state == SandboxState.ACTIVE ? System.nanoTime() - stateSinceNanos : 0;
        return Duration.ofNanos(activeNanos + current);
    }

    synchronized Duration standbyTime() {
        long parked = state == SandboxState.STANDBY ? System.nanoTime() - stateSinceNanos : 0;
        return Duration.ofNanos(standbyNanos + parked);
    }
}
