package io.drover.workers;

import io.drover.persistence.subtask.ClaimedSubtask;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link Worker} without the application's routes, the way they do: one dispatcher
 * thread claims into free slots, slot threads run what was claimed, each finished run wakes the
 * dispatcher. For tests and benchmarks that exercise the worker core on its own.
 */
public final class WorkerLoop implements AutoCloseable {
    private final Worker worker;
    private final ExecutorService slots;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicInteger ran = new AtomicInteger();

    public WorkerLoop(Worker worker) {
        this.worker = worker;
        this.slots = Executors.newFixedThreadPool(worker.slots().capacity());
    }

    /**
     * Runs until {@code done} says so while nothing of this worker runs; polls every
     * {@code pollMillis} when there is nothing to claim. Returns the number of subtasks it ran.
     */
    public int runUntil(BooleanSupplier done, long pollMillis) throws InterruptedException {
        while (true) {
            List<ClaimedSubtask> claimed = worker.claim();
            for (ClaimedSubtask c : claimed) {
                slots.submit(() -> {
                    try {
                        worker.run(c);
                        ran.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        wake.release();
                    }
                });
            }
            if (claimed.isEmpty()) {
                if (worker.slots().inUse() == 0 && done.getAsBoolean()) {
                    return ran.get();
                }
                wake.tryAcquire(pollMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        slots.shutdownNow();
    }
}
