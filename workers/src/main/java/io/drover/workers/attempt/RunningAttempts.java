package io.drover.workers.attempt;

import io.drover.sandbox.Execution;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The attempts this worker set is running now, so that they can be heartbeated and stopped. */
public final class RunningAttempts {
    /** {@code execution} is null while the sandbox is being prepared (base setup, clone). */
    private record Entry(long jobId, long subtaskId, Execution execution) {
    }

    private final Map<Long, Entry> running = new ConcurrentHashMap<>();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private volatile boolean abandoning;

    /**
     * Registers an attempt before its sandbox exists: preparing a base can take a while, and a cancel
     * in that window must still reach the command once it starts.
     */
    void preparing(long attemptId, long jobId, long subtaskId) {
        running.put(attemptId, new Entry(jobId, subtaskId, null));
    }

    void started(long attemptId, long jobId, long subtaskId, Execution execution) {
        running.put(attemptId, new Entry(jobId, subtaskId, execution));
        if (cancelled.contains(attemptId) || abandoning) {
            execution.kill();
        }
    }

    void ended(long attemptId) {
        running.remove(attemptId);
    }

    /** True once, after the attempt's run; clears the mark. */
    boolean wasCancelled(long attemptId) {
        return cancelled.remove(attemptId);
    }

    public Set<Long> ids() {
        return Set.copyOf(running.keySet());
    }

    /** Stops an attempt because its job or subtask was cancelled; its outcome is recorded as CANCELLED. */
    public void cancel(long attemptId) {
        cancelled.add(attemptId);
        Entry entry = running.get(attemptId);
        if (entry != null && entry.execution() != null) {
            entry.execution().kill();
        }
    }

    public void cancelSubtask(long subtaskId) {
        running.forEach((attemptId, entry) -> {
            if (entry.subtaskId() == subtaskId) {
                cancel(attemptId);
            }
        });
    }

    public void cancelJob(long jobId) {
        running.forEach((attemptId, entry) -> {
            if (entry.jobId() == jobId) {
                cancel(attemptId);
            }
        });
    }

    /** Kills every running attempt because this process is stopping; they are handed back, not failed. */
    public void abandonAll() {
        abandoning = true;
        running.values().stream().filter(entry -> entry.execution() != null)
                .forEach(entry -> entry.execution().kill());
    }

    boolean abandoning() {
        return abandoning;
    }
}
