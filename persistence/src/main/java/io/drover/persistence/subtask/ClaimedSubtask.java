package io.drover.persistence.subtask;

/**
 * A subtask this worker now owns, with the attempt row created for it in the same statement.
 *
 * @param version the subtask's version after the claim; the completion must present it
 */
public record ClaimedSubtask(long subtaskId, long jobId, int index, String itemJson, int attempt, long attemptId,
        long version) {
}
