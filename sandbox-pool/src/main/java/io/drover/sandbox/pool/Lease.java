package io.drover.sandbox.pool;

import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import java.time.Duration;
import java.time.Instant;

/**
 * A sandbox lent out by the pool. While lent, it is its holder's alone; when idle for its
 * {@code standbyAfter} (an agent thinking between tool calls) the pool parks it in standby, and
 * the next exec through the pool resumes it.
 */
public final class Lease {
    private final Sandbox sandbox;
    private final Duration standbyAfter;
    private final Usage atLease;
    private volatile Instant lastUsed;
    private int running;

    Lease(Sandbox sandbox, Duration standbyAfter, Instant now, Usage atLease) {
        this.sandbox = sandbox;
        this.standbyAfter = standbyAfter;
        this.lastUsed = now;
        this.atLease = atLease;
    }

    /**
     * What the sandbox had used when it was lent, as read once by the pool: its time in the pool
     * before the lease, charged as pool overhead, and so to be subtracted from what its holder pays.
     */
    public Usage usageAtLease() {
        return atLease;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public String id() {
        return sandbox.id();
    }

    public SandboxState state() {
        return sandbox.state();
    }

    public Duration standbyAfter() {
        return standbyAfter;
    }

    synchronized void began(Instant now) {
        running++;
        lastUsed = now;
    }

    synchronized void ended(Instant now) {
        running--;
        lastUsed = now;
    }

    synchronized boolean idleSince(Instant cutoff) {
        return running == 0 && lastUsed.isBefore(cutoff);
    }

    Instant lastUsed() {
        return lastUsed;
    }
}
