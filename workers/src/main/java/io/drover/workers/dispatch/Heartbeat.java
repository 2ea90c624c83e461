package io.drover.workers.dispatch;

import io.drover.persistence.attempt.AttemptStore;
import io.drover.workers.attempt.RunningAttempts;
import java.util.Set;

/** Renews the lease of every running attempt and stops those whose job was cancelled. */
public final class Heartbeat {
    private final String owner;
    private final AttemptStore attempts;
    private final RunningAttempts running;

    public Heartbeat(String owner, AttemptStore attempts, RunningAttempts running) {
        this.owner = owner;
        this.attempts = attempts;
        this.running = running;
    }

    /** Returns how many attempts were told to stop. */
    public int beat() {
        Set<Long> cancelled = attempts.heartbeat(owner, running.ids());
        cancelled.forEach(running::cancel);
        return cancelled.size();
    }
}
