package io.drover.workers.dispatch;

import io.drover.persistence.subtask.ClaimedSubtask;
import io.drover.persistence.subtask.SubtaskStore;
import io.drover.persistence.subtask.WarmPreference;
import java.util.List;

/**
 * Claims as many pending subtasks as this process has free slots. Called from one thread at a
 * time; slots are given back by whoever finishes running a claimed subtask.
 */
public final class Dispatcher {
    private final String owner;
    private final SubtaskStore subtasks;
    private final WorkerSlots slots;
    private final WarmPreference warm;

    public Dispatcher(String owner, SubtaskStore subtasks, WorkerSlots slots) {
        this(owner, subtasks, slots, WarmPreference.NONE);
    }

    /** @param warm which jobs this worker's claims take first: those whose base its node holds */
    public Dispatcher(String owner, SubtaskStore subtasks, WorkerSlots slots, WarmPreference warm) {
        this.owner = owner;
        this.subtasks = subtasks;
        this.slots = slots;
        this.warm = warm;
    }

    public List<ClaimedSubtask> claim() {
        int free = slots.free();
        if (free == 0) {
            return List.of();
        }
        List<ClaimedSubtask> claimed = subtasks.claim(owner, free, warm);
        slots.take(claimed.size());
        return claimed;
    }
}
