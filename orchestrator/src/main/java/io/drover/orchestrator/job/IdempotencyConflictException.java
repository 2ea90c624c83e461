package io.drover.orchestrator.job;

/** An idempotency key was reused with a different spec. */
public class IdempotencyConflictException extends RuntimeException {
    private final long existingJobId;

    public IdempotencyConflictException(String key, long existingJobId) {
        super("Idempotency-Key '" + key + "' was used for job " + existingJobId
                + " with a different spec; use a new key for a new job");
        this.existingJobId = existingJobId;
    }

    public long existingJobId() {
        return existingJobId;
    }
}
