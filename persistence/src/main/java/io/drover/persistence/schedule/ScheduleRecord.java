package io.drover.persistence.schedule;

import java.time.Instant;

/**
 * A stored schedule.
 *
 * @param specJson the job spec document as submitted (its {@code spec.schedule} included)
 * @param repoId   the repository that owns the schedule, or null when it was created over REST
 */
public record ScheduleRecord(
        long id,
        String name,
        String specJson,
        ScheduleSettings settings,
        Long repoId,
        String repoPath,
        Integer repoLine,
        String repoCommit,
        Instant createdAt,
        Instant updatedAt,
        String tenant) {

    public boolean ownedByRepo() {
        return repoId != null;
    }
}
