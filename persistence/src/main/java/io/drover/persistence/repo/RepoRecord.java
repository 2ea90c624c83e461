package io.drover.persistence.repo;

import java.time.Instant;

/**
 * A registered repository and the outcome of its last sync.
 *
 * @param lastSyncProblemsJson the last sync's per-file problems: {@code [{path, line, field, message}]}
 */
public record RepoRecord(long id, String url, String branch, String pathGlob, String secret, String lastSyncCommit,
        Instant lastSyncAt, String lastSyncError, String lastSyncProblemsJson, Instant createdAt, String tenant) {
}
