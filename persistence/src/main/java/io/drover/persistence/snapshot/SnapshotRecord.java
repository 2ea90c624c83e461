package io.drover.persistence.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * A base snapshot as recorded, with the jobs that used it.
 *
 * @param specJson   the base's image, setup and setup env as JSON
 * @param builder    the worker that recorded it ready (or failed)
 * @param error      why the last setup failed, with the end of its output
 * @param jobCount   jobs submitted with this base
 * @param latestJobs the ids of the newest of them, newest first
 * @param tenant     whose base it is (part of its hash); other tenants' snapshots are not theirs to see
 */
public record SnapshotRecord(String hash, String driver, SnapshotState state, String specJson, String location,
        Long sizeBytes, Long buildMs, String builder, String error, Instant createdAt, Instant readyAt,
        Instant lastUsedAt, Instant deletedAt, long jobCount, List<Long> latestJobs, String tenant) {

    /** When it was last used, or became ready if it never was: what garbage collection measures idleness from. */
    public Instant idleSince() {
        return lastUsedAt != null ? lastUsedAt : readyAt != null ? readyAt : createdAt;
    }
}
