package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Set;

/** Reads {@code spec.budget}: spending limits in USD, checked against the job's cost ledger. */
final class BudgetFields {
    static final BigDecimal MAX = new BigDecimal("1000000000");

    private BudgetFields() {
    }

    static JobSpec.Budget read(Fields f, JsonNode spec) {
        JsonNode node = f.object(spec, "budget", "spec", false).orElse(null);
        if (node == null) {
            return null;
        }
        f.onlyKnown(node, "spec.budget", Set.of("maxCostUsd", "maxCostPerSubtaskUsd"));
        BigDecimal total = usd(f, node, "maxCostUsd");
        BigDecimal perSubtask = usd(f, node, "maxCostPerSubtaskUsd");
        if (!node.hasNonNull("maxCostUsd") && !node.hasNonNull("maxCostPerSubtaskUsd")) {
            f.error("spec.budget", "must set maxCostUsd, maxCostPerSubtaskUsd or both");
            return null;
        }
        return total == null && perSubtask == null ? null : new JobSpec.Budget(total, perSubtask);
    }

    private static BigDecimal usd(Fields f, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.decimalValue().signum() <= 0 || value.decimalValue().compareTo(MAX) > 0) {
            f.error("spec.budget." + key, "must be an amount in USD above 0 (at most " + MAX.toPlainString() + ")");
            return null;
        }
        return value.decimalValue();
    }
}
