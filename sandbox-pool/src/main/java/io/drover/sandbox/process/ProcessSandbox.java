package io.drover.sandbox.process;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A process sandbox: a private working directory and the process groups running in it. */
final class ProcessSandbox implements Sandbox {
    private final String id;
    private final BaseSnapshot base;
    private final Resources resources;
    private final Path directory;
    final Set<ProcessExecution> running = ConcurrentHashMap.newKeySet();
    private SandboxState state = SandboxState.WARM;
    private long stateSinceNanos = System.nanoTime();
    private long activeNanos;
    private long standbyNanos;

    ProcessSandbox(String id, BaseSnapshot base, Resources resources, Path directory) {
        this.id = id;
        this.base = base;
        this.resources = resources;
        this.directory = directory;
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

    Path directory() {
        return directory;
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

    synchronized Duration activeTime() {
        long running = state == SandboxState.ACTIVE ? System.nanoTime() - stateSinceNanos : 0;
        return Duration.ofNanos(activeNanos + running);
    }

    synchronized Duration standbyTime() {
        long parked = state == SandboxState.STANDBY ? System.nanoTime() - stateSinceNanos : 0;
        return Duration.ofNanos(standbyNanos + parked);
    }
}
