package io.drover.persistence.job;

import java.time.Instant;

public record JobRecord(
        long id,
        String name,
        JobState state,
        String specJson,
        String labelsJson,
        String source,
        Integer subtaskCount,
        boolean cancelRequested,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String tenant) {
}
