package io.drover.cli.watch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * One look at a followed job.
 *
 * @param total    its subtasks; 0 until the job is split
 * @param rate     subtasks ended per second since following began
 * @param cost     what it cost so far (empty until the cost report answers)
 */
public record JobProgress(long job, String state, long total, long pending, long running, long succeeded, long failed,
        long cancelled, Duration elapsed, double rate, Optional<BigDecimal> cost, String error) {

    public long done() {
        return succeeded + failed + cancelled;
    }

    /** The time left at the current rate; empty while nothing has ended yet. */
    public Optional<Duration> eta() {
        if (rate <= 0 || total == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) ((total - done()) / rate * 1000)));
    }

    /** {@code 7/12 succeeded 6 failed 1 running 2 pending 3}, zero counts left out. */
    public String counts() {
        StringBuilder text = new StringBuilder().append(done()).append('/').append(total == 0 ? "?" : total);
        count(text, "succeeded", succeeded);
        count(text, "failed", failed);
        count(text, "cancelled", cancelled);
        count(text, "running", running);
        count(text, "pending", pending);
        return text.toString();
    }

    private static void count(StringBuilder text, String name, long n) {
        if (n > 0) {
            text.append("  ").append(name).append(' ').append(n);
        }
    }
}
