package io.drover.workers.cost;

import io.drover.persistence.attempt.AttemptUsage;
import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.sandbox.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what an attempt's sandbox was metered at, and what its task reported, into priced cost
 * lines. Times are taken in whole milliseconds, the precision the attempt row keeps them in, so
 * that the lines can be recomputed from the row. A line with nothing to charge is not written.
 */
public final class CostMeter {
    private final PriceTable prices;
    private final CostListener listener;

    public CostMeter(PriceTable prices) {
        this(prices, CostListener.NONE);
    }

    public CostMeter(PriceTable prices, CostListener listener) {
        this.prices = prices;
        this.listener = listener;
    }

    /** To be called once the attempt's end, with these lines, is recorded. */
    public void recorded(AttemptUsage usage) {
        listener.recorded(usage.lines());
    }

    /** As {@link #recorded(AttemptUsage)}, for an attempt of {@code jobId}. */
    public void recorded(long jobId, AttemptUsage usage) {
        listener.recorded(jobId, usage.lines());
    }

    public PriceTable prices() {
        return prices;
    }

    /**
     * @param usage  what the sandbox used during the attempt
     * @param vcpus  the vCPUs the sandbox was given
     * @param setup  the build time of the sandbox's base, when the driver knows it
     */
    public AttemptUsage meter(Usage usage, double vcpus, Optional<Duration> setup, UsageReport report) {
        long activeMs = usage.activeTime().toMillis();
        long standbyMs = usage.standbyTime().toMillis();
        long memory = usage.memoryLimitBytes();
        Optional<Long> cpuMs = usage.cpuTime().map(Duration::toMillis);
        Long diskBytes = usage.diskBytes().isPresent() ? usage.diskBytes().getAsLong() : null;
        List<CostLine> lines = new ArrayList<>();
        add(lines, CostDimension.COMPUTE, "memory active", Quantities.gibSeconds(memory, activeMs), "GiB-s",
                prices.memoryGibSecond(), null);
        cpuMs.ifPresent(ms -> add(lines, CostDimension.COMPUTE, "cpu", Quantities.seconds(ms), "vCPU-s",
                prices.vcpuSecond(), null));
        add(lines, CostDimension.COMPUTE, "memory standby", Quantities.gibSeconds(memory, standbyMs), "GiB-s",
                prices.standbyGibSecond(), null);
        if (diskBytes != null) {
            add(lines, CostDimension.STORAGE, "workspace", Quantities.gibSeconds(diskBytes, activeMs + standbyMs),
                    "GiB-s", prices.storageGibSecond(), null);
        }
        if (usage.egressBytes().isPresent()) {
            add(lines, CostDimension.NETWORK, "egress", Quantities.gib(usage.egressBytes().getAsLong()), "GiB",
                    prices.networkEgressGib(), null);
        }
        List<String> problems = new ArrayList<>(report.problems());
        int problemCount = report.problemCount();
        for (var e : report.models().entrySet()) {
            Optional<ModelPrice> price = prices.model(e.getKey());
            if (price.isEmpty()) {
                problemCount++;
                if (problems.size() < UsageFile.PROBLEMS_LISTED) {
                    problems.add("model " + e.getKey() + " has no price (drover.prices.models.\"" + e.getKey()
                            + "\"); its tokens are recorded at 0");
                }
            }
            ModelPrice p = price.orElse(ModelPrice.of("0", "0", "0"));
            UsageReport.Tokens t = e.getValue();
            add(lines, CostDimension.TOKENS, e.getKey() + " input", Quantities.millions(t.input()), "1M tokens",
                    p.inputPerMillion(), null);
            add(lines, CostDimension.TOKENS, e.getKey() + " cached input", Quantities.millions(t.cachedInput()),
                    "1M tokens", p.cachedInputPerMillion(), null);
            add(lines, CostDimension.TOKENS, e.getKey() + " output", Quantities.millions(t.output()), "1M tokens",
                    p.outputPerMillion(), null);
        }
        report.tools().forEach((name, calls) -> add(lines, CostDimension.TOOLS, name, BigDecimal.valueOf(calls.calls()),
                "call", prices.toolCall(name), calls.durationMs()));
        return new AttemptUsage(activeMs, standbyMs, cpuMs.orElse(null), memory, vcpus, diskBytes,
                setup.map(Duration::toMillis).orElse(null), problemCount,
                problems.isEmpty() ? null : String.join("; ", problems), lines);
    }

    private static void add(List<CostLine> lines, CostDimension dimension, String item, BigDecimal quantity,
            String unit, BigDecimal unitPrice, Long durationMs) {
        if (quantity.signum() == 0) {
            return;
        }
        lines.add(new CostLine(dimension, item, quantity, unit, unitPrice, Quantities.amount(quantity, unitPrice),
                durationMs));
    }
}
