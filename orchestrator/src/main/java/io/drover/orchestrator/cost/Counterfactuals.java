package io.drover.orchestrator.cost;

import io.drover.persistence.cost.MeteredAttempt;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.cost.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Bills the same attempts as other platforms would: each sandbox charged for the memory and
 * vCPUs it was given (not what it used) for a billed time derived from how long it lived
 * (active + standby). Tokens, tool calls and storage cost the same under every model and are
 * carried over from Drover's figure. Priced at today's price table: they are what-ifs.
 */
public final class Counterfactuals {
    static final long HOUR_MS = 3_600_000;
    static final long MINUTE_MS = 60_000;
    static final long IDLE_TIMEOUT_MS = 15 * MINUTE_MS;

    private Counterfactuals() {
    }

    /**
     * @param droverTotal     everything the ledger holds for the job
     * @param droverCompute   the ledger's compute lines for the job
     * @param subtasks        how many subtasks the job has, each of which would pay setup without reuse
     */
    public static List<Counterfactual> of(List<MeteredAttempt> attempts, PriceTable prices, BigDecimal droverTotal,
            BigDecimal droverCompute, int subtasks) {
        return of(attempts, prices, droverTotal, droverCompute, subtasks, BigDecimal.ZERO);
    }

    /**
     * @param setupShare the job's share of its base's build, included in {@code droverTotal}: without
     *                   reuse it is not paid, every subtask pays a whole setup instead
     */
    public static List<Counterfactual> of(List<MeteredAttempt> attempts, PriceTable prices, BigDecimal droverTotal,
            BigDecimal droverCompute, int subtasks, BigDecimal setupShare) {
        BigDecimal rest = droverTotal.subtract(droverCompute);
        List<Counterfactual> bills = new ArrayList<>();
        bills.add(bill("per-hour", "each sandbox billed in whole hours, at least one",
                billed(attempts, prices, ms -> Math.max(1, ceilDiv(ms, HOUR_MS)) * HOUR_MS).add(rest), droverTotal, null));
        bills.add(bill("per-second-1-minute-minimum", "each sandbox billed per second, at least 60 s",
                billed(attempts, prices, ms -> Math.max(ms, MINUTE_MS)).add(rest), droverTotal, null));
        bills.add(bill("idle-timeout-15-minutes", "each sandbox kept (and billed) 15 minutes after its work, then shut down",
                billed(attempts, prices, ms -> ms + IDLE_TIMEOUT_MS).add(rest), droverTotal, null));
        bills.add(noSnapshotReuse(attempts, prices, droverTotal, subtasks, setupShare));
        return bills;
    }

    /** What the sandboxes cost billed for {@code billedMs(lifetime)} at their allocated size. */
    static BigDecimal billed(List<MeteredAttempt> attempts, PriceTable prices, LongUnaryOperator billedMs) {
        BigDecimal sum = BigDecimal.ZERO;
        for (MeteredAttempt a : attempts) {
            if (!a.metered()) {
                continue;
            }
            long lived = a.activeMs() + (a.standbyMs() == null ? 0 : a.standbyMs());
            sum = sum.add(Quantities.amount(Quantities.seconds(billedMs.applyAsLong(lived)), rate(a, prices)));
        }
        return sum;
    }

    private static Counterfactual noSnapshotReuse(List<MeteredAttempt> attempts, PriceTable prices,
            BigDecimal droverTotal, int subtasks, BigDecimal setupShare) {
        String description = "the base's setup run again for every subtask, at the subtask's sandbox size";
        MeteredAttempt withSetup = attempts.stream().filter(a -> a.metered() && a.setupMs() != null)
                .max(java.util.Comparator.comparing(MeteredAttempt::setupMs)).orElse(null);
        if (withSetup == null) {
            return bill("no-snapshot-reuse", description, null, droverTotal,
                    "the build time of the job's base is not known, so the setup cost cannot be estimated");
        }
        BigDecimal setup = Quantities.amount(Quantities.seconds(withSetup.setupMs()), rate(withSetup, prices))
                .multiply(BigDecimal.valueOf(subtasks));
        String note = withSetup.setupMs() == 0 ? "the job's base has no setup: reuse saves nothing"
                : "setup of " + withSetup.setupMs() + " ms x " + subtasks + " subtasks, in place of the job's share of"
                        + " the base's one build (" + setupShare.toPlainString() + " USD)";
        return bill("no-snapshot-reuse", description, droverTotal.subtract(setupShare).add(setup), droverTotal, note);
    }

    private static BigDecimal rate(MeteredAttempt a, PriceTable prices) {
        return prices.allocatedSecond(a.memoryLimitBytes(), a.vcpus() == null ? BigDecimal.ONE : a.vcpus());
    }

    private static Counterfactual bill(String billing, String description, BigDecimal total, BigDecimal drover,
            String note) {
        BigDecimal ratio = total == null || drover.signum() == 0 ? null
                : total.divide(drover, 4, RoundingMode.HALF_EVEN);
        return new Counterfactual(billing, description, total, drover, ratio, note);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
