package io.drover.workers.llm;

import io.drover.persistence.attempt.AttemptTokens;
import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.ModelPrice;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.cost.Quantities;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices each gateway call's tokens with the price table in force at that moment and records them
 * at once as cost lines of the calling attempt (so that budgets see them while it runs). Calls of
 * exec-API sandboxes belong to no job: they are counted in metrics only.
 */
public final class GatewayLedger {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLedger.class);
    static final String OTHER_MODEL = "other";

    private final AttemptTokens tokens;
    private final Supplier<PriceTable> prices;
    private final CostListener listener;
    private final GatewayMetrics metrics;

    public GatewayLedger(AttemptTokens tokens, Supplier<PriceTable> prices, CostListener listener,
            GatewayMetrics metrics) {
        this.tokens = tokens;
        this.prices = prices;
        this.listener = listener;
        this.metrics = metrics;
    }

    /**
     * The model a call is priced as: the one asked for when the price table knows it, else the one
     * the upstream answered with (often a dated version of it) when known, else the one asked for.
     */
    public String pricedModel(String requested, String answered) {
        PriceTable table = prices.get();
        if (requested != null && table.model(requested).isPresent()) {
            return requested;
        }
        if (answered != null && table.model(answered).isPresent()) {
            return answered;
        }
        return requested != null ? requested : answered != null ? answered : "unknown";
    }

    /** The model as a metrics tag: a priced model, or {@code other}, so the series stay bounded. */
    public String metricsModel(String model) {
        return prices.get().model(model).isPresent() ? model : OTHER_MODEL;
    }

    /** Records the call's tokens; returns the lines written (none for an exec-API sandbox). */
    public List<CostLine> record(Caller caller, String model, TokenUsage usage) {
        String tag = metricsModel(model);
        metrics.tokens(tag, "input", usage.input());
        metrics.tokens(tag, "cached input", usage.cachedInput());
        metrics.tokens(tag, "output", usage.output());
        if (!(caller instanceof Caller.Attempt attempt)) {
            return List.of();
        }
        Optional<ModelPrice> price = prices.get().model(model);
        if (price.isEmpty()) {
            LOG.warn("Model {} has no price (drover.prices.models.\"{}\"): the tokens of attempt {} are recorded at 0",
                    model, model, attempt.holder().attemptId());
        }
        ModelPrice p = price.orElse(ModelPrice.of("0", "0", "0"));
        List<CostLine> lines = new ArrayList<>();
        add(lines, model + " input", usage.input(), p.inputPerMillion());
        add(lines, model + " cached input", usage.cachedInput(), p.cachedInputPerMillion());
        add(lines, model + " output", usage.output(), p.outputPerMillion());
        tokens.record(attempt.holder().attemptId(), lines);
        listener.recorded(attempt.holder().jobId(), lines);
        return lines;
    }

    private static void add(List<CostLine> lines, String item, long count, BigDecimal unitPrice) {
        if (count == 0) {
            return;
        }
        BigDecimal quantity = Quantities.millions(count);
        lines.add(new CostLine(CostDimension.TOKENS, item, quantity, "1M tokens", unitPrice,
                Quantities.amount(quantity, unitPrice), null));
    }
}
