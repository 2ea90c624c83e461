package io.drover.orchestrator.config;

import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.drover.workers.cost.CostListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Recorded cost in USD by dimension and, for the label keys configured in
 * {@code drover.metrics.cost-label-keys}, by the job's value of each. Never by job, model or tool:
 * one job's fan-out must not grow the registry. Each key keeps at most
 * {@code drover.metrics.cost-label-values} distinct values; later ones count as {@code other}, and
 * jobs without the label as {@code none}.
 */
final class CostMetrics implements CostListener {
    static final String NONE = "none";
    static final String OTHER = "other";
    private static final int JOBS_CACHED = 1_000;

    private final MeterRegistry registry;
    private final List<String> keys;
    private final int maxValues;
    private final LongFunction<Map<String, String>> labelsOfJob;
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, String>> jobTags = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Map<String, String>> eldest) {
                    return size() > JOBS_CACHED;
                }
            });

    CostMetrics(MeterRegistry registry) {
        this(registry, List.of(), 0, id -> Map.of());
    }

    /** @param labelsOfJob a job's labels, read once per job (cached for the last {@value #JOBS_CACHED} jobs) */
    CostMetrics(MeterRegistry registry, List<String> keys, int maxValues, LongFunction<Map<String, String>> labelsOfJob) {
        this.registry = registry;
        this.keys = List.copyOf(keys);
        this.maxValues = maxValues;
        this.labelsOfJob = labelsOfJob;
        Map<String, String> none = new LinkedHashMap<>();
        this.keys.forEach(k -> none.put(k, NONE));
        for (CostDimension d : CostDimension.values()) {
            counter(d, none);
        }
    }

    @Override
    public void recorded(List<CostLine> lines) {
        Map<String, String> none = new LinkedHashMap<>();
        keys.forEach(k -> none.put(k, NONE));
        count(lines, none);
    }

    @Override
    public void recorded(long jobId, List<CostLine> lines) {
        count(lines, keys.isEmpty() ? Map.of() : jobTags.computeIfAbsent(jobId, this::tagsOf));
    }

    private void count(List<CostLine> lines, Map<String, String> tags) {
        for (CostLine line : lines) {
            counter(line.dimension(), tags).increment(line.amountUsd().doubleValue());
        }
    }

    private Map<String, String> tagsOf(long jobId) {
        Map<String, String> labels = labelsOfJob.apply(jobId);
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key : keys) {
            String value = labels.get(key);
            tags.put(key, value == null ? NONE : bounded(key, value));
        }
        return tags;
    }

    private String bounded(String key, String value) {
        Set<String> values = seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        if (values.contains(value)) {
            return value;
        }
        synchronized (values) {
            if (values.size() < maxValues) {
                values.add(value);
                return value;
            }
        }
        return OTHER;
    }

    private Counter counter(CostDimension dimension, Map<String, String> labels) {
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.of("dimension", dimension.column()));
        labels.forEach((k, v) -> tags.add(Tag.of(k, v)));
        return Counter.builder("drover.cost.usd").baseUnit("usd").tags(tags)
                .description("Cost recorded in the ledger, by dimension (and configured job labels)").register(registry);
    }
}
