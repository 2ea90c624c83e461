package io.drover.workers;

import io.drover.persistence.attempt.AttemptResult;
import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.workers.attempt.AttemptRunner;
import io.drover.workers.attempt.RunningAttempts;
import io.drover.workers.dispatch.Dispatcher;
import io.drover.workers.dispatch.WorkerSlots;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One process's worker set: claims as many subtasks as it has free slots and runs each on the
 * calling thread. The routing layer supplies the threads; this class holds no thread of its own.
 */
public final class Worker {
    private final Dispatcher dispatcher;
    private final AttemptRunner runner;
    private final WorkerSlots slots;
    private final RunningAttempts running;
    private final Consumer<AttemptResult> ended;
    private volatile boolean stopping;

    public Worker(Dispatcher dispatcher, AttemptRunner runner, WorkerSlots slots, RunningAttempts running) {
        this(dispatcher, runner, slots, running, result -> { });
    }

    /** @param ended told each attempt's end as recorded, e.g. to count it */
    public Worker(Dispatcher dispatcher, AttemptRunner runner, WorkerSlots slots, RunningAttempts running,
            Consumer<AttemptResult> ended) {
        this.ended = ended;
        this.dispatcher = dispatcher;
        this.runner = runner;
        this.slots = slots;
        this.running = running;
    }

    public List<ClaimedSubtask> claim() {
        return stopping ? List.of() : dispatcher.claim();
    }

    /** Runs a claimed subtask and gives its slot back. Empty if the attempt was handed back at shutdown. */
    public Optional<AttemptResult> run(ClaimedSubtask claimed) throws InterruptedException {
        try {
            Optional<AttemptResult> result = runner.run(claimed);
            result.ifPresent(ended);
            return result;
        } finally {
            slots.release();
        }
    }

    /** Stops claiming, stops what runs, and hands those subtasks back to the queue for the next worker. */
    public void stop() {
        stopping = true;
        running.abandonAll();
    }

    public WorkerSlots slots() {
        return slots;
    }
}
