package io.drover.persistence.repo;

import java.util.List;

/** What a sync changed in the schedule table, so that the Quartz triggers can follow. */
public record SyncChanges(List<Long> upsertedSchedules, List<Long> removedSchedules) {
    public static final SyncChanges NONE = new SyncChanges(List.of(), List.of());
}
