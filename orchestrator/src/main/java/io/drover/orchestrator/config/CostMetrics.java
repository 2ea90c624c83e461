package io.drover.orchestrator.config;

import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.workers.cost.CostListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Recorded cost in USD by dimension. Tagged by dimension only: a job, model or tool tag would let
 * one job's fan-out grow the registry without bound.
 */
final class CostMetrics implements CostListener {
    private final Map<CostDimension, Counter> counters = new EnumMap<>(CostDimension.class);

    CostMetrics(MeterRegistry registry) {
        for (CostDimension d : CostDimension.values()) {
            counters.put(d, Counter.builder("drover.cost.usd").baseUnit("usd").tag("dimension", d.column())
                    .description("Cost recorded in the ledger, by dimension").register(registry));
        }
    }

    @Override
    public void recorded(List<CostLine> lines) {
        for (CostLine line : lines) {
            counters.get(line.dimension()).increment(line.amountUsd().doubleValue());
        }
    }
}
