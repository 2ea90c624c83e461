package io.drover.orchestrator.cost;

import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostStore;
import io.drover.persistence.cost.MeteredAttempt;
import io.drover.persistence.job.JobRecord;
import io.drover.persistence.job.JobStore;
import io.drover.persistence.subtask.SubtaskState;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.cost.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a job's cost report from its ledger. */
public final class CostReports {
    static final int DEAREST = 10;
    static final int RATIO_SCALE = 4;

    private final CostStore costs;
    private final JobStore jobs;
    private final PriceTable prices;
    private final Clock clock;

    public CostReports(CostStore costs, JobStore jobs, PriceTable prices, Clock clock) {
        this.costs = costs;
        this.jobs = jobs;
        this.prices = prices;
        this.clock = clock;
    }

    /** The job's base and its share of it, as of now; empty when the job records no base. */
    public Optional<SharedCost> shared(long jobId) {
        return costs.baseUse(jobId).map(use -> SharedCost.of(use, clock.instant()));
    }

    public Optional<CostReport> of(long jobId) {
        Optional<JobRecord> job = jobs.find(jobId);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        Map<CostDimension, BigDecimal> totals = costs.totals(jobId);
        Map<String, BigDecimal> byDimension = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (var e : totals.entrySet()) {
            if (e.getKey().ordinal() <= CostDimension.STORAGE.ordinal() || e.getValue().signum() != 0) {
                byDimension.put(e.getKey().column(), e.getValue());
            }
            total = total.add(e.getValue());
        }
        List<MeteredAttempt> attempts = costs.attempts(jobId);
        long succeeded = jobs.counts(jobId).getOrDefault(SubtaskState.SUCCEEDED, 0L);
        BigDecimal failedCost = BigDecimal.ZERO;
        int failed = 0;
        long activeMs = 0;
        long cpuMs = 0;
        BigDecimal givenCpuMs = BigDecimal.ZERO;
        for (MeteredAttempt a : attempts) {
            if (!"SUCCEEDED".equals(a.state())) {
                failed++;
                failedCost = failedCost.add(a.costUsd());
            }
            if (a.activeMs() != null && a.cpuMs() != null) {
                activeMs += a.activeMs();
                cpuMs += a.cpuMs();
                givenCpuMs = givenCpuMs.add(BigDecimal.valueOf(a.activeMs())
                        .multiply(a.vcpus() == null ? BigDecimal.ONE : a.vcpus()));
            }
        }
        int subtasks = job.get().subtaskCount() == null ? 0 : job.get().subtaskCount();
        BigDecimal ledger = total;
        SharedCost shared = shared(jobId).orElse(null);
        BigDecimal setupShare = shared == null ? BigDecimal.ZERO : shared.setupShareUsd();
        total = shared == null ? ledger : ledger.add(shared.shareUsd());
        BigDecimal perSucceeded = perSubtask(total, succeeded);
        BigDecimal failedShare = ledger.signum() == 0 ? null
                : failedCost.divide(ledger, RATIO_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal utilization = activeMs == 0 ? null
                : BigDecimal.valueOf(cpuMs).divide(BigDecimal.valueOf(activeMs), RATIO_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal idle = givenCpuMs.signum() == 0 ? null : BigDecimal.ONE.subtract(BigDecimal.valueOf(cpuMs)
                .divide(givenCpuMs, RATIO_SCALE, RoundingMode.HALF_EVEN)).max(BigDecimal.ZERO);
        List<Counterfactual> bills = Counterfactuals.of(attempts, prices, total, totals.get(CostDimension.COMPUTE),
                subtasks, setupShare);
        return Optional.of(new CostReport(jobId, job.get().state().name(), total, ledger, byDimension, shared, subtasks,
                succeeded, attempts.size(), failed, perSucceeded, failedShare, utilization, idle, activeMs, cpuMs,
                costs.dearest(jobId, DEAREST), bills));
    }

    /** total / succeeded subtasks at 12 decimals; null when none succeeded. */
    static BigDecimal perSubtask(BigDecimal total, long succeeded) {
        return succeeded == 0 ? null
                : total.divide(BigDecimal.valueOf(succeeded), Quantities.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }
}
