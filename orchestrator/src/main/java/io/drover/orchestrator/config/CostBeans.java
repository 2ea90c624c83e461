package io.drover.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.orchestrator.cost.CostAggregates;
import io.drover.orchestrator.cost.CostReports;
import io.drover.persistence.Database;
import io.drover.persistence.cost.CostStore;
import io.drover.persistence.cost.PoolIdleStore;
import io.drover.persistence.job.JobStore;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.IdleMeters;
import io.drover.workers.cost.ModelPrice;
import io.drover.workers.cost.PriceTable;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Wires the price table and the cost reports; refuses to start on a price that makes no sense. */
@ApplicationScoped
public class CostBeans {
    private static final ObjectMapper JSON = new ObjectMapper();

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
                checked("drover.prices.tool-call-default", config.toolCallDefault()))
                .withNetworkEgressPerGb(checked("drover.prices.network.egress-per-gb", config.network().egressPerGb()));
    }

    @Produces
    @Singleton
    CostStore costStore(Database db) {
        return new CostStore(db);
    }

    @Produces
    @Singleton
    CostReports costReports(CostStore costs, JobStore jobs, PriceTable prices) {
        return new CostReports(costs, jobs, prices, Clock.systemUTC());
    }

    @Produces
    @Singleton
    PoolIdleStore poolIdleStore(Database db) {
        return new PoolIdleStore(db);
    }

    /** Cost counters for Micrometer, tagged by dimension and the configured job labels. */
    @Produces
    @Singleton
    CostListener costListener(MeterRegistry registry, MetricsConfig metrics, JobStore jobs) {
        List<String> keys = metrics.costLabelKeys().orElse(List.of());
        if (metrics.costLabelValues() < 1) {
            throw new IllegalArgumentException("drover.metrics.cost-label-values is " + metrics.costLabelValues()
                    + ": it must be 1 or more (distinct values of each label key tagged before 'other')");
        }
        for (String key : keys) {
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]{0,62}") || key.equals("dimension")) {
                throw new IllegalArgumentException("drover.metrics.cost-label-keys has '" + key + "': each key must be"
                        + " a metric tag name (a letter or '_', then letters, digits or '_'), and not 'dimension'");
            }
        }
        return new CostMetrics(registry, keys, metrics.costLabelValues(), id -> jobs.find(id)
                .map(job -> labels(job.labelsJson())).orElse(Map.of()));
    }

    /** Warm-but-idle pool time, priced and allocated to the jobs that used each base. */
    @Produces
    @Singleton
    IdleMeters idleMeters(PriceTable prices, PoolIdleStore store, CostListener metrics) {
        return new IdleMeters(prices, idle -> {
            store.record(idle);
            metrics.recorded(idle.lines());
        });
    }

    void closeIdleMeters(@Disposes IdleMeters meters) {
        meters.close();
    }

    private static Map<String, String> labels(String json) {
        try {
            Map<String, String> labels = new LinkedHashMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return labels;
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    @Produces
    @Singleton
    CostAggregates costAggregates(CostStore costs, CostReports reports) {
        return new CostAggregates(costs, reports, Clock.systemUTC());
    }

    static BigDecimal checked(String key, BigDecimal price) {
        if (price.signum() < 0) {
            throw new IllegalArgumentException(key + " is " + price + ": a price must be 0 or more (USD)");
        }
        return price;
    }
}
