package io.drover.orchestrator.cost;

import io.drover.persistence.cost.CostStore;
import io.drover.persistence.cost.LabelCost;
import io.drover.persistence.cost.RunCost;
import io.drover.workers.cost.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Cost over many jobs: a schedule's runs, and the jobs of each value of a label. */
public final class CostAggregates {
    private final CostStore costs;
    private final CostReports reports;
    private final Clock clock;

    public CostAggregates(CostStore costs, CostReports reports, Clock clock) {
        this.costs = costs;
        this.reports = reports;
        this.clock = clock;
    }

    public ScheduleCost schedule(long scheduleId, String name, int last) {
        List<ScheduleCost.Run> runs = new ArrayList<>();
        for (RunCost r : costs.scheduleRuns(scheduleId, last)) {
            BigDecimal shared = reports.shared(r.jobId()).map(SharedCost::shareUsd).orElse(BigDecimal.ZERO);
            BigDecimal total = r.ledgerUsd().add(shared);
            runs.add(new ScheduleCost.Run(r.jobId(), r.state(), r.createdAt(), r.startedAt(), r.finishedAt(), total,
                    r.ledgerUsd(), shared, r.succeededSubtasks(), CostReports.perSubtask(total, r.succeededSubtasks())));
        }
        return new ScheduleCost(scheduleId, name, runs, trend(runs));
    }

    /** Runs that ended with a cost per succeeded subtask, newest first as listed. */
    static ScheduleCost.Trend trend(List<ScheduleCost.Run> runs) {
        List<ScheduleCost.Run> ended = runs.stream()
                .filter(r -> r.finishedAt() != null && r.costPerSucceededSubtaskUsd() != null).toList();
        int n = ended.size();
        if (n == 0) {
            return new ScheduleCost.Trend(0, null, null, null, null, null);
        }
        BigDecimal count = BigDecimal.valueOf(n);
        BigDecimal meanTotal = ended.stream().map(ScheduleCost.Run::totalUsd).reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(count, Quantities.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal meanPer = ended.stream().map(ScheduleCost.Run::costPerSucceededSubtaskUsd)
                .reduce(BigDecimal.ZERO, BigDecimal::add).divide(count, Quantities.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal latest = ended.get(0).costPerSucceededSubtaskUsd();
        BigDecimal latestVsMean = meanPer.signum() == 0 ? null
                : latest.divide(meanPer, CostReports.RATIO_SCALE, RoundingMode.HALF_EVEN);
        return new ScheduleCost.Trend(n, meanTotal, meanPer, latest, latestVsMean, slope(ended, meanPer));
    }

    /** Least squares over x = 0 (oldest) .. n-1 (newest). */
    private static BigDecimal slope(List<ScheduleCost.Run> newestFirst, BigDecimal meanY) {
        int n = newestFirst.size();
        if (n < 2) {
            return null;
        }
        BigDecimal meanX = BigDecimal.valueOf(n - 1).divide(BigDecimal.valueOf(2));
        BigDecimal covariance = BigDecimal.ZERO;
        BigDecimal variance = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            BigDecimal dx = BigDecimal.valueOf(n - 1 - i).subtract(meanX);
            covariance = covariance.add(dx.multiply(newestFirst.get(i).costPerSucceededSubtaskUsd().subtract(meanY)));
            variance = variance.add(dx.multiply(dx));
        }
        return covariance.divide(variance, Quantities.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }

    /** The tenant's cost since {@code since} per value of the label {@code key}. */
    public LabelCosts byLabel(String tenant, String key, Instant since) {
        List<LabelCosts.Value> values = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (LabelCost c : costs.byLabel(tenant, key, since)) {
            values.add(new LabelCosts.Value(c.value(), c.jobs(), c.ledgerUsd(), c.succeededSubtasks(),
                    CostReports.perSubtask(c.ledgerUsd(), c.succeededSubtasks())));
            total = total.add(c.ledgerUsd());
        }
        return new LabelCosts(key, since, clock.instant(), total, values);
    }
}
