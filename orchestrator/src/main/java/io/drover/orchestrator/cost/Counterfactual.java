package io.drover.orchestrator.cost;

import java.math.BigDecimal;

/**
 * The same timeline billed another way, beside Drover's figure.
 *
 * @param totalUsd null when it cannot be computed ({@code note} says why)
 * @param ratio    totalUsd / droverUsd; null when either is unknown or Drover's is 0
 */
public record Counterfactual(String billing, String description, BigDecimal totalUsd, BigDecimal droverUsd,
        BigDecimal ratio, String note) {
}
