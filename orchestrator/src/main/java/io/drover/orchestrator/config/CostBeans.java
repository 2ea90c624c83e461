package io.drover.orchestrator.config;

import io.drover.orchestrator.cost.CostReports;
import io.drover.persistence.Database;
import io.drover.persistence.cost.CostStore;
import io.drover.persistence.job.JobStore;
import io.drover.workers.cost.ModelPrice;
import io.drover.workers.cost.PriceTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wires the price table and the cost reports; refuses to start on a price that makes no sense. */
@ApplicationScoped
public class CostBeans {

    @Produces
    @Singleton
    PriceTable priceTable(PricesConfig config) {
        Map<String, ModelPrice> models = new LinkedHashMap<>();
        config.models().forEach((name, m) -> {
            String key = "drover.prices.models.\"" + name + "\"";
            models.put(name, new ModelPrice(checked(key + ".input-per-million", m.inputPerMillion()),
                    checked(key + ".cached-input-per-million", m.cachedInputPerMillion().orElse(m.inputPerMillion())),
                    checked(key + ".output-per-million", m.outputPerMillion())));
        });
        Map<String, BigDecimal> tools = new LinkedHashMap<>();
        config.tools().forEach((name, price) -> tools.put(name, checked("drover.prices.tools.\"" + name + "\"", price)));
        return PriceTable.published(checked("drover.prices.memory-gb-hour", config.memoryGbHour()),
                checked("drover.prices.vcpu-hour", config.vcpuHour()),
                checked("drover.prices.standby-gb-month", config.standbyGbMonth()),
                checked("drover.prices.storage-gb-month", config.storageGbMonth()), models, tools,
                checked("drover.prices.tool-call-default", config.toolCallDefault()));
    }

    @Produces
    @Singleton
    CostStore costStore(Database db) {
        return new CostStore(db);
    }

    @Produces
    @Singleton
    CostReports costReports(CostStore costs, JobStore jobs, PriceTable prices) {
        return new CostReports(costs, jobs, prices);
    }

    static BigDecimal checked(String key, BigDecimal price) {
        if (price.signum() < 0) {
            throw new IllegalArgumentException(key + " is " + price + ": a price must be 0 or more (USD)");
        }
        return price;
    }
}
