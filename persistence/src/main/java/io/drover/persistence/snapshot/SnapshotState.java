package io.drover.persistence.snapshot;

/** Where a base snapshot's row stands; only READY bases are on disk and may be collected. */
public enum SnapshotState {
    /** A caller is running its setup (or is about to find it ready on disk). */
    BUILDING,
    /** On disk, cloneable. */
    READY,
    /** Its last setup failed; nothing is on disk and the next job runs setup again. */
    FAILED,
    /** Garbage-collected from disk; the next job that needs it builds it again. */
    DELETED
}
