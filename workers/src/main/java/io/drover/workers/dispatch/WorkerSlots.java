package io.drover.workers.dispatch;

import java.util.concurrent.atomic.AtomicInteger;

/** How many more subtasks this process may start now. */
public final class WorkerSlots {
    private final int capacity;
    private final AtomicInteger inUse = new AtomicInteger();

    public WorkerSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("worker capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    private WorkerSlots() {
        this.capacity = 0;
    }

    /** No slot at all: a process whose sandboxes cannot run takes no work. */
    public static WorkerSlots none() {
        return new WorkerSlots();
    }

    public int free() {
        return Math.max(0, capacity - inUse.get());
    }

    public void take(int n) {
        inUse.addAndGet(n);
    }

    public void release() {
        inUse.decrementAndGet();
    }

    public int inUse() {
        return inUse.get();
    }

    public int capacity() {
        return capacity;
    }
}
