package io.drover.persistence.retry;

import io.drover.persistence.attempt.AttemptState;
import io.drover.persistence.state.StateSql;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Where a subtask is retried: the one verdict on whether an attempt that did not succeed runs its
 * subtask again, and when. Its subtask then moves back to PENDING ({@code SubtaskTransition.END}),
 * with {@code not_before} set to the delay.
 * <ul>
 * <li>Failed (the task's failure): as the job's {@link RetryPolicy} says, within its
 * {@code maxAttempts}, after a backoff with full jitter. A setup that failed would fail again, a
 * command that filled its disk ({@code disk-quota}) would fill it again, and a cancel is the user's
 * word, so none of them is ever retried.</li>
 * <li>Lost (the machine's failure: the sandbox could not be made or was lost, or the worker died):
 * while the subtask has lost fewer than {@code maxLostAttempts} attempts to {@code sandbox-lost},
 * or while the job's policy retries {@code sandbox-lost} (its {@code job.retry_lost}) within
 * {@code maxAttempts}. Decided in SQL ({@link #RUNS_AGAIN_AFTER_LOSS}), since the sweep loses
 * attempts in sets; a loss its worker reports waits {@link #afterLossMs}, one the sweep finds runs
 * at once.</li>
 * <li>Handed back by a worker that is stopping: always, at once, and not counted as lost.</li>
 * </ul>
 */
public final class Retries {
    private static final long LOST_DELAY_MS = 1_000;
    private static final long LOST_DELAY_MAX_MS = 30_000;

    /**
     * Whether subtask {@code t} of job {@code j}, which has just lost an attempt not yet recorded as
     * LOST, runs again; its one parameter is {@code maxLostAttempts}.
     */
    public static final String RUNS_AGAIN_AFTER_LOSS = "(SELECT count(*) FROM attempt x WHERE x.subtask_id = t.id AND "
            + StateSql.is("x.state", AttemptState.LOST) + " AND x.failure = '" + FailureClass.SANDBOX_LOST.code()
            + "') + 1 < ? OR (j.retry_lost AND t.attempts < j.max_attempts)";

    private Retries() {
    }

    /**
     * The delay before the next attempt of a subtask whose attempt number {@code attempt} failed so,
     * or empty if it does not run again.
     */
    public static Optional<Duration> afterFailure(RetryPolicy policy, FailureClass failure, Integer exitCode,
            int attempt, DoubleSupplier random) {
        if (failure == FailureClass.SETUP_FAILED || failure == FailureClass.DISK_QUOTA
                || failure == FailureClass.SECRET_MISSING || failure == FailureClass.CANCELLED) {
            return Optional.empty();
        }
        return policy.retryDelay(failure, exitCode, attempt, random);
    }

    /** The delay before a subtask whose attempt number {@code attempt} lost its sandbox runs again, if it does. */
    public static long afterLossMs(int attempt) {
        return Math.min(LOST_DELAY_MAX_MS, LOST_DELAY_MS * attempt);
    }
}
