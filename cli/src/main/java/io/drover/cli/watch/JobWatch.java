package io.drover.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.http.Api;
import io.drover.cli.http.ApiException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Follows a job by polling {@code GET /jobs/{id}} (and its cost, less often) until it ends. */
public final class JobWatch {
    /** The job states that are ends. */
    public static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "BUDGET_EXCEEDED");
    private static final Duration COST_EVERY = Duration.ofSeconds(2);

    private final Api api;
    private final Duration pollEvery;

    public JobWatch(Api api, Duration pollEvery) {
        this.api = api;
        this.pollEvery = pollEvery;
    }

    /** Polls until the job ends, showing each look on {@code progress}; returns the last look. */
    public JobProgress follow(long job, Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        Optional<BigDecimal> cost = Optional.empty();
        long costAt = Long.MIN_VALUE;
        long endedBefore = -1;
        while (true) {
            JsonNode view = api.get("/jobs/" + job);
            if (endedBefore < 0) {
                endedBefore = ended(view.path("counts"));
            }
            long now = System.nanoTime();
            boolean ended = ENDED.contains(view.path("state").asText());
            if (ended || now - costAt >= COST_EVERY.toNanos()) {
                Optional<BigDecimal> latest = cost(job);
                cost = latest.isPresent() ? latest : cost;
                costAt = now;
            }
            JobProgress look = look(job, view, Duration.ofNanos(now - start), cost, endedBefore);
            if (ended) {
                progress.end(look);
                return look;
            }
            progress.update(look);
            Thread.sleep(pollEvery.toMillis());
        }
    }

    private static long ended(JsonNode counts) {
        return counts.path("SUCCEEDED").asLong() + counts.path("FAILED").asLong() + counts.path("CANCELLED").asLong();
    }

    private Optional<BigDecimal> cost(long job) {
        try {
            JsonNode total = api.get("/jobs/" + job + "/cost").get("totalUsd");
            return total != null && total.isNumber() ? Optional.of(total.decimalValue()) : Optional.empty();
        } catch (ApiException.Refused e) {
            return Optional.empty(); // no report yet: the bar shows $? until there is one
        }
    }

    /**
     * @param endedBefore subtasks that had ended when following began: the rate counts the others only
     */
    static JobProgress look(long job, JsonNode view, Duration elapsed, Optional<BigDecimal> cost, long endedBefore) {
        JsonNode counts = view.path("counts");
        long succeeded = counts.path("SUCCEEDED").asLong();
        long failed = counts.path("FAILED").asLong();
        long cancelled = counts.path("CANCELLED").asLong();
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return new JobProgress(job, view.path("state").asText(), view.path("subtasks").asLong(),
                counts.path("PENDING").asLong(), counts.path("RUNNING").asLong(), succeeded, failed, cancelled, elapsed,
                Math.max(0, succeeded + failed + cancelled - endedBefore) / seconds, cost, view.hasNonNull("error") ? view.get("error").asText() : null);
    }
}
