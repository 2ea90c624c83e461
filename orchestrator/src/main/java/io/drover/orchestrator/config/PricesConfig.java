package io.drover.orchestrator.config;

import io.drover.workers.cost.PriceDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The price table (prefix {@code drover.prices}), in the units prices are published in. Every
 * cost line stores the unit price it was recorded at, so changing these never rewrites history.
 * Defaults and their sources are in docs/cost-model.md and {@link PriceDefaults}.
 */
@ConfigMapping(prefix = "drover.prices")
public interface PricesConfig {

    /** USD per GB-hour of a sandbox's memory limit while it is active (default: AWS Fargate, us-east-1). */
    @WithDefault(PriceDefaults.MEMORY_GB_HOUR)
    BigDecimal memoryGbHour();

    /** USD per vCPU-hour, charged on the CPU time a sandbox used (default: AWS Fargate, us-east-1). */
    @WithDefault(PriceDefaults.VCPU_HOUR)
    BigDecimal vcpuHour();

    /** USD per GB-month of a sandbox's memory limit while it stands by (default: Amazon EBS gp3). */
    @WithDefault(PriceDefaults.STANDBY_GB_MONTH)
    BigDecimal standbyGbMonth();

    /** USD per GB-month of what a sandbox wrote on top of its base, while it lives (default: Amazon EBS gp3). */
    @WithDefault(PriceDefaults.STORAGE_GB_MONTH)
    BigDecimal storageGbMonth();

    /**
     * LLM prices by model name as tasks report it, e.g. {@code drover.prices.models.my-model.input-per-million=1.0}.
     * Added to, or replacing, the built-in models (gpt-4o, gpt-4o-mini, claude-sonnet-4, claude-3-5-haiku).
     */
    Map<String, Model> models();

    /** USD per call by tool name, e.g. {@code drover.prices.tools.github=0.001}. */
    Map<String, BigDecimal> tools();

    /** USD per call of a tool with no price of its own. */
    @WithDefault(PriceDefaults.TOOL_CALL)
    BigDecimal toolCallDefault();

    Network network();

    interface Network {
        /** USD per GB a sandbox sends out (default: AWS data transfer out to the internet, first 10 TB a month). */
        @WithDefault(PriceDefaults.NETWORK_EGRESS_GB)
        BigDecimal egressPerGb();
    }

    interface Model {
        /** USD per million input tokens that were not served from the provider's cache. */
        BigDecimal inputPerMillion();

        /** USD per million input tokens served from cache; the input price when not given. */
        Optional<BigDecimal> cachedInputPerMillion();

        /** USD per million output tokens. */
        BigDecimal outputPerMillion();
    }
}
