package io.drover.workers.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices per unit that a cost line is recorded in: per GiB-second, per vCPU-second, per million
 * tokens, per tool call. Built from the units prices are published in (per hour, per month).
 */
public record PriceTable(
        BigDecimal memoryGibSecond,
        BigDecimal vcpuSecond,
        BigDecimal standbyGibSecond,
        BigDecimal storageGibSecond,
        Map<String, ModelPrice> models,
        Map<String, BigDecimal> toolCalls,
        BigDecimal toolCallDefault,
        BigDecimal networkEgressGib) {

    /** Unit prices keep this many decimals: 10 significant digits for the smallest default (storage). */
    public static final int UNIT_PRICE_SCALE = 15;
    static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    /** A month of 730 hours, as AWS bills GB-months. */
    static final BigDecimal SECONDS_PER_MONTH = BigDecimal.valueOf(730L * 3600);

    public PriceTable {
        Objects.requireNonNull(memoryGibSecond, "memoryGibSecond");
        Objects.requireNonNull(vcpuSecond, "vcpuSecond");
        Objects.requireNonNull(standbyGibSecond, "standbyGibSecond");
        Objects.requireNonNull(storageGibSecond, "storageGibSecond");
        Objects.requireNonNull(toolCallDefault, "toolCallDefault");
        Objects.requireNonNull(networkEgressGib, "networkEgressGib");
        models = Map.copyOf(models);
        toolCalls = Map.copyOf(toolCalls);
    }

    /**
     * @param models extra or changed model prices, over {@link PriceDefaults#models()}
     */
    public static PriceTable published(BigDecimal memoryGbHour, BigDecimal vcpuHour, BigDecimal standbyGbMonth,
            BigDecimal storageGbMonth, Map<String, ModelPrice> models, Map<String, BigDecimal> toolCalls,
            BigDecimal toolCallDefault) {
        Map<String, ModelPrice> all = new HashMap<>(PriceDefaults.models());
        all.putAll(models);
        return new PriceTable(perSecond(memoryGbHour, SECONDS_PER_HOUR), perSecond(vcpuHour, SECONDS_PER_HOUR),
                perSecond(standbyGbMonth, SECONDS_PER_MONTH), perSecond(storageGbMonth, SECONDS_PER_MONTH), all,
                toolCalls, toolCallDefault, PriceDefaults.decimal(PriceDefaults.NETWORK_EGRESS_GB));
    }

    /** USD per GB a sandbox sends out over its network ({@code drover.prices.network.egress-per-gb}). */
    public PriceTable withNetworkEgressPerGb(BigDecimal price) {
        return new PriceTable(memoryGibSecond, vcpuSecond, standbyGibSecond, storageGibSecond, models, toolCalls,
                toolCallDefault, price);
    }

    public static PriceTable defaults() {
        return published(PriceDefaults.decimal(PriceDefaults.MEMORY_GB_HOUR), PriceDefaults.decimal(PriceDefaults.VCPU_HOUR),
                PriceDefaults.decimal(PriceDefaults.STANDBY_GB_MONTH), PriceDefaults.decimal(PriceDefaults.STORAGE_GB_MONTH),
                Map.of(), Map.of(), PriceDefaults.decimal(PriceDefaults.TOOL_CALL));
    }

    public Optional<ModelPrice> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public BigDecimal toolCall(String name) {
        return toolCalls.getOrDefault(name, toolCallDefault);
    }

    /**
     * What one second of a sandbox costs when it is billed for what it was given rather than what
     * it used (memory and vCPUs allocated), as the counterfactual bills do.
     */
    public BigDecimal allocatedSecond(long memoryBytes, BigDecimal vcpus) {
        return Quantities.gib(memoryBytes).multiply(memoryGibSecond).add(vcpus.multiply(vcpuSecond));
    }

    private static BigDecimal perSecond(BigDecimal published, BigDecimal seconds) {
        return published.divide(seconds, UNIT_PRICE_SCALE, RoundingMode.HALF_EVEN);
    }
}
