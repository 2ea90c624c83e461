package io.drover.persistence.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * A job's {@code spec.retry}: when a failed attempt runs again, and after how long. Callers ask
 * {@link Retries}, which holds the whole verdict (lost attempts too). Backoff uses full jitter: the delay
 * before attempt n+1 is uniform in [0, min(max, initial * multiplier^(n-1))], which spreads the
 * retries of many subtasks that failed together.
 *
 * @param retryOn          failure classes that are retried ({@link FailureClass} codes)
 * @param retryOnExitCodes for nonzero-exit: only these exit codes are retried; empty means any
 * @param doNotRetryOn     exit codes that are never retried, whatever else says
 */
public record RetryPolicy(int maxAttempts, long initialBackoffMs, double multiplier, long maxBackoffMs,
        Set<String> retryOn, Set<Integer> retryOnExitCodes, Set<Integer> doNotRetryOn) {

    public static final RetryPolicy NONE = new RetryPolicy(1, 1_000, 2.0, 60_000, Set.of(), Set.of(), Set.of());

    public RetryPolicy {
        retryOn = Set.copyOf(retryOn);
        retryOnExitCodes = Set.copyOf(retryOnExitCodes);
        doNotRetryOn = Set.copyOf(doNotRetryOn);
    }

    /** The delay before the next attempt, or empty if attempt {@code attempt} was the last one. */
    public Optional<Duration> retryDelay(FailureClass failure, Integer exitCode, int attempt, DoubleSupplier random) {
        if (attempt >= maxAttempts || !retries(failure, exitCode)) {
            return Optional.empty();
        }
        double cap = Math.min(maxBackoffMs, initialBackoffMs * Math.pow(multiplier, attempt - 1));
        return Optional.of(Duration.ofMillis((long) (random.getAsDouble() * cap)));
    }

    boolean retries(FailureClass failure, Integer exitCode) {
        if (!retryOn.contains(failure.code())) {
            return false;
        }
        if (exitCode != null && doNotRetryOn.contains(exitCode)) {
            return false;
        }
        return failure != FailureClass.NONZERO_EXIT || retryOnExitCodes.isEmpty() || retryOnExitCodes.contains(exitCode);
    }

    /** Whether lost attempts (their worker died) may also be retried within {@code maxAttempts}. */
    public boolean retriesLost() {
        return retryOn.contains(FailureClass.SANDBOX_LOST.code());
    }
}
