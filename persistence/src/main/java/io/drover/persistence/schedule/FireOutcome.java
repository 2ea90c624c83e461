package io.drover.persistence.schedule;

/** What one fire of a schedule did. */
public enum FireOutcome {
    /** A job was started. */
    STARTED,
    /** No job was started on purpose (overlap: forbid); the reason says why. */
    SKIPPED,
    /** A job should have started but could not (e.g. its spec no longer validates); the reason says why. */
    FAILED
}
