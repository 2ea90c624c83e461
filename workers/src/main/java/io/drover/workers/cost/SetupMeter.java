package io.drover.workers.cost;

import io.drover.persistence.snapshot.BaseBuild;
import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.Resources;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Prices a base's build once, when it is recorded: the setup sandbox held its memory and vCPUs
 * for the build time. The driver does not report the setup's CPU time, so vCPUs are charged as
 * given (an upper bound, as the counterfactual bills charge).
 */
public final class SetupMeter {
    private final PriceTable prices;
    private final Resources setupResources;

    /** @param setupResources what the driver gives the sandbox that runs a base's setup */
    public SetupMeter(PriceTable prices, Resources setupResources) {
        this.prices = prices;
        this.setupResources = setupResources;
    }

    /** A build of the base on {@code node}: its setup, and its layer's storage from now on. */
    public BaseBuild price(String driver, BaseSnapshot base, Instant builtAt, String node) {
        long ms = base.buildTime().toMillis();
        BigDecimal vcpus = BigDecimal.valueOf(setupResources.vcpus());
        BigDecimal memory = Quantities.amount(Quantities.gibSeconds(setupResources.memoryBytes(), ms),
                prices.memoryGibSecond());
        BigDecimal cpu = Quantities.amount(vcpus.multiply(Quantities.seconds(ms)), prices.vcpuSecond());
        return new BaseBuild(base.hash(), driver, ms, setupResources.memoryBytes(), vcpus, prices.memoryGibSecond(),
                prices.vcpuSecond(), prices.storageGibSecond(), memory.add(cpu), base.sizeBytes(), builtAt, node, null);
    }

    /**
     * A copy fetched onto {@code node} from {@code from}: no setup ran for it, so only its layer's
     * storage is charged (the transfer's network is not priced, as no egress is).
     */
    public BaseBuild fetched(String driver, BaseSnapshot base, Instant fetchedAt, String node, String from) {
        return new BaseBuild(base.hash(), driver, 0, 0, BigDecimal.ZERO, prices.memoryGibSecond(), prices.vcpuSecond(),
                prices.storageGibSecond(), BigDecimal.ZERO, base.sizeBytes(), fetchedAt, node, from);
    }
}
