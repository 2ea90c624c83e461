package io.drover.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.persistence.cost.CostDimension;
import io.drover.persistence.cost.CostLine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostMetricsTest {
    private static final List<CostLine> ONE_DOLLAR = List.of(new CostLine(CostDimension.COMPUTE, "cpu", BigDecimal.ONE,
            "vCPU-s", BigDecimal.ONE, BigDecimal.ONE, null));

    @Test
    void cost_is_counted_by_the_configured_label_and_its_values_are_capped() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<Long, Map<String, String>> labels = Map.of(1L, Map.of("team", "infra", "owner", "ann"),
                2L, Map.of("team", "web"), 3L, Map.of("team", "data"), 4L, Map.of());
        CostMetrics metrics = new CostMetrics(registry, List.of("team"), 2, id -> labels.get(id));

        for (long job = 1; job <= 4; job++) {
            metrics.recorded(job, ONE_DOLLAR);
        }
        metrics.recorded(1L, ONE_DOLLAR);

        assertThat(count(registry, "infra")).isEqualTo(2.0);
        assertThat(count(registry, "web")).isEqualTo(1.0);
        assertThat(count(registry, CostMetrics.OTHER)).as("a third value is past the cap of 2").isEqualTo(1.0);
        assertThat(count(registry, CostMetrics.NONE)).as("a job without the label").isEqualTo(1.0);
        Set<String> keys = registry.find("drover.cost.usd").counters().stream()
                .flatMap(c -> c.getId().getTags().stream().map(t -> t.getKey())).collect(Collectors.toSet());
        assertThat(keys).as("no job, owner, model or tool tag").containsExactlyInAnyOrder("dimension", "team");
    }

    @Test
    void without_label_keys_counters_are_by_dimension_only() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CostMetrics metrics = new CostMetrics(registry);

        metrics.recorded(7L, ONE_DOLLAR);

        assertThat(registry.get("drover.cost.usd").tag("dimension", "compute").counter().count()).isEqualTo(1.0);
        assertThat(registry.find("drover.cost.usd").counters()).hasSize(CostDimension.values().length);
    }

    private static double count(SimpleMeterRegistry registry, String team) {
        return registry.get("drover.cost.usd").tag("dimension", "compute").tag("team", team).counter().count();
    }
}
