package io.drover.persistence.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One priced quantity. The unit price is the one in force when the line was recorded and is
 * stored with it, so that a later change of the price table never rewrites history.
 *
 * @param durationMs summed latency, for tool calls; null otherwise
 */
public record CostLine(CostDimension dimension, String item, BigDecimal quantity, String unit, BigDecimal unitPriceUsd,
        BigDecimal amountUsd, Long durationMs) {

    public CostLine {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(unitPriceUsd, "unitPriceUsd");
        Objects.requireNonNull(amountUsd, "amountUsd");
    }
}
