package io.drover.sandbox.microvm;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import io.drover.sandbox.microvm.agent.AgentChannels;
import io.drover.sandbox.microvm.agent.AgentExecution;
import io.drover.sandbox.microvm.qemu.ProcessFigures;
import io.drover.sandbox.microvm.qemu.QemuVm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A microVM sandbox: its directory (disk overlay, own disk, sockets, saved state while in standby), the
 * QEMU process running it (none in standby), its agent channels and its meters. CPU time and
 * peak memory add up over the QEMU processes it had (one more per standby and resume).
 */
final class MicroVmSandbox implements Sandbox {
    private final String id;
    private final BaseSnapshot base;
    private final Resources resources;
    private final Path dir;
    final AgentChannels channels = new AgentChannels();
    /**
     * Held across lifecycle steps (exec, standby, resume, destroy, reads), which may take seconds;
     * this object's own monitor only guards the state and meters, so that a command ending (on
     * the agent's reader thread) never waits for a standby that waits for that reader.
     */
    final Object lifecycle = new Object();
    final Set<AgentExecution> running = ConcurrentHashMap.newKeySet();
    private QemuVm vm;
    private SandboxState state = SandboxState.WARM;
    private long stateSinceNanos = System.nanoTime();
    private long activeNanos;
    private long standbyNanos;
    private Duration pastCpu = Duration.ZERO;
    private long pastPeakRss = -1;
    private Usage finalUsage;
    /** How long the clone's restore took: until the saved state was loaded, and until the agent answered. */
    volatile Duration restoreTime = Duration.ZERO;
    volatile Duration readyTime = Duration.ZERO;
    /** Of that, making the clone's own disk and mounting it in the guest; zero without a disk limit. */
    volatile Duration diskTime = Duration.ZERO;
    /** The clone's own disk for /workspace and /tmp; null without a disk limit. */
    volatile CloneDisk disk;

    MicroVmSandbox(String id, BaseSnapshot base, Resources resources, Path dir) {
        this.id = id;
        this.base = base;
        this.resources = resources;
        this.dir = dir;
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

    Path dir() {
        return dir;
    }

    synchronized QemuVm vm() {
        return vm;
    }

    synchronized void attach(QemuVm vm) {
        this.vm = vm;
    }

    /** Forgets the QEMU process, after adding what it used to the sandbox's meters. */
    synchronized QemuVm detach(ProcessFigures last) {
        QemuVm current = vm;
        vm = null;
        if (last != ProcessFigures.NONE) {
            pastCpu = pastCpu.plus(last.cpuTime());
            pastPeakRss = Math.max(pastPeakRss, last.peakRssBytes());
        }
        return current;
    }

    synchronized Duration cpuTime(ProcessFigures now) {
        return pastCpu.plus(now.cpuTime());
    }

    synchronized long peakRss(ProcessFigures now) {
        return Math.max(pastPeakRss, now.peakRssBytes());
    }

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

    synchronized void commandEnded(AgentExecution execution) {
        channels.close(execution.channel());
        running.remove(execution);
        if (running.isEmpty() && state == SandboxState.ACTIVE) {
            moveTo(SandboxState.WARM);
        }
    }

    synchronized Optional<Usage> finalUsage() {
        return Optional.ofNullable(finalUsage);
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
