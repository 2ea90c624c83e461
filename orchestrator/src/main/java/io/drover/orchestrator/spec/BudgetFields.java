package io.drover.orchestrator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/** Reads {@code spec.budget}: spending limits in USD, checked against the job's cost ledger. */
final class BudgetFields {
    static final BigDecimal MAX = new BigDecimal("1000000000");
    static final String FINISH_RUNNING = "finish-running";
    static final String STOP_RUNNING = "stop-running";

    private BudgetFields() {
    }

    static JobSpec.Budget read(Fields f, JsonNode spec) {
        JsonNode node = f.object(spec, "budget", "spec", false).orElse(null);
        if (node == null) {
            return null;
        }
        f.onlyKnown(node, "spec.budget", Set.of("maxCostUsd", "maxCostPerSubtaskUsd", "onExceeded"));
        BigDecimal total = usd(f, node, "maxCostUsd");
        BigDecimal perSubtask = usd(f, node, "maxCostPerSubtaskUsd");
        boolean stopRunning = onExceeded(f, node);
        if (!node.hasNonNull("maxCostUsd") && !node.hasNonNull("maxCostPerSubtaskUsd")) {
            f.error("spec.budget", "must set maxCostUsd, maxCostPerSubtaskUsd or both");
            return null;
        }
        return total == null && perSubtask == null ? null : new JobSpec.Budget(total, perSubtask,
                stopRunning ? STOP_RUNNING : FINISH_RUNNING);
    }

    /** {@code finish-running} (the default) lets running subtasks finish; {@code stop-running} stops them. */
    private static boolean onExceeded(Fields f, JsonNode node) {
        JsonNode value = node.get("onExceeded");
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isTextual() && List.of(FINISH_RUNNING, STOP_RUNNING).contains(value.asText())) {
            return STOP_RUNNING.equals(value.asText());
        }
        f.error("spec.budget.onExceeded", "must be " + FINISH_RUNNING + " (running subtasks finish; the default) or "
                + STOP_RUNNING + " (running subtasks are stopped), not " + value);
        return false;
    }

    private static BigDecimal usd(Fields f, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        // A double too large for a double (1e400) is Infinity: no decimal value, and out of range anyway.
        if (!value.isNumber() || (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue()))
                || value.decimalValue().signum() <= 0 || value.decimalValue().compareTo(MAX) > 0) {
            f.error("spec.budget." + key, "must be an amount in USD above 0 (at most " + MAX.toPlainString() + ")");
            return null;
        }
        return value.decimalValue();
    }
}
