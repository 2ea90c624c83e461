package io.drover.persistence.job;

/**
 * The outcome of storing a job.
 *
 * @param created     false when a job with the same idempotency key existed: {@code id} is that job's
 * @param requestHash the stored job's request hash, to compare with the new request's
 */
public record Insertion(long id, boolean created, String requestHash) {
}
