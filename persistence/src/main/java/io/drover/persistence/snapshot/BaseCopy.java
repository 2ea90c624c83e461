package io.drover.persistence.snapshot;

import java.time.Instant;

/**
 * One node's copy of a base, as recorded in {@code base_copy}.
 *
 * @param contentHash sha256 over the layer's tree, computed by the node that built it; what a
 *                    fetching node verifies its download against
 * @param buildMs     how long its setup took, when this node built it
 * @param fetchedMs   how long the transfer, verification and install took, when it was fetched
 * @param fetchedFrom the node it was fetched from; null when built here
 * @param builder     the instance that made it READY (or FAILED)
 */
public record BaseCopy(String hash, String node, SnapshotState state, String location, Long sizeBytes,
        String contentHash, Long buildMs, Long fetchedMs, String fetchedFrom, String builder, String error,
        Instant createdAt, Instant readyAt, Instant lastUsedAt, Instant deletedAt) {

    /** A copy of the node that recorded bases before they were kept per node (see V13). */
    public static final String LEGACY_NODE = "legacy";

    /** When it was last used, or became ready if it never was: what garbage collection measures idleness from. */
    public Instant idleSince() {
        return lastUsedAt != null ? lastUsedAt : readyAt != null ? readyAt : createdAt;
    }
}
