package io.drover.persistence.attempt;

import java.util.Optional;

/**
 * The end of one attempt, as the worker that ran it saw it.
 *
 * @param subtaskVersion the version the claim returned; a completion presenting another is rejected
 * @param failure        the cause class when the outcome is not SUCCEEDED (nonzero-exit, timeout, oom, sandbox-error, cancelled)
 * @param retryAfterMs   for a FAILED outcome the retry policy allows to retry: when the subtask may run again
 * @param usage          what the sandbox used and cost; empty when the attempt never got a sandbox
 */
public record AttemptResult(
        long attemptId,
        long subtaskId,
        long subtaskVersion,
        AttemptOutcome outcome,
        String failure,
        Integer exitCode,
        long durationMs,
        String sandboxId,
        String logPath,
        String outputTail,
        Optional<Long> retryAfterMs,
        Optional<AttemptUsage> usage) {

    /** An end with nothing metered. */
    public AttemptResult(long attemptId, long subtaskId, long subtaskVersion, AttemptOutcome outcome, String failure,
            Integer exitCode, long durationMs, String sandboxId, String logPath, String outputTail,
            Optional<Long> retryAfterMs) {
        this(attemptId, subtaskId, subtaskVersion, outcome, failure, exitCode, durationMs, sandboxId, logPath,
                outputTail, retryAfterMs, Optional.empty());
    }
}
