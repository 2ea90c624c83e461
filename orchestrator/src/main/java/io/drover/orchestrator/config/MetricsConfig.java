package io.drover.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** What Drover's own metrics are tagged with (prefix {@code drover.metrics}). */
@ConfigMapping(prefix = "drover.metrics")
public interface MetricsConfig {

    /**
     * Job label keys that tag the cost counter ({@code drover_cost_usd_total}), e.g. {@code team};
     * none by default. Jobs without the label count under {@code none}.
     */
    Optional<List<String>> costLabelKeys();

    /**
     * Distinct values of each label key tagged before further values count under {@code other}:
     * series stay bounded whatever labels jobs are submitted with.
     */
    @WithDefault("20")
    int costLabelValues();
}
