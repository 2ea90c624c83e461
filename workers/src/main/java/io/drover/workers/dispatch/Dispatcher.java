package io.drover.workers.dispatch;

import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import java.util.List;

/**
 * Claims as many pending subtasks as this process has free slots. Called from one thread at a
 * time; slots are given back by whoever finishes running a claimed subtask.
 */
public final class Dispatcher {
    private final String owner;
    private final SubtaskStore subtasks;
    private final WorkerSlots slots;

    public Dispatcher(String owner, SubtaskStore subtasks, WorkerSlots slots) {
        this.owner = owner;
        this.subtasks = subtasks;
        this.slots = slots;
    }

    public List<ClaimedSubtask> claim() {
        int free = slots.free();
        if (free == 0) {
            return List.of();
        }
        List<ClaimedSubtask> claimed = subtasks.claim(owner, free);
        slots.take(claimed.size());
        return claimed;
    }
}
