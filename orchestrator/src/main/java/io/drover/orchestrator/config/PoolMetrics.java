package io.drover.orchestrator.config;

import io.drover.sandbox.pool.PoolListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Pool latencies as Micrometer timers with percentiles: clone, resume, and the wait for a lease. */
final class PoolMetrics implements PoolListener {
    private final Timer clone;
    private final Timer resume;
    private final Timer leaseWarm;
    private final Timer leaseCold;

    PoolMetrics(MeterRegistry registry) {
        clone = timer(registry, "drover.pool.clone", "Time to clone a sandbox from its base");
        resume = timer(registry, "drover.pool.resume", "Time to resume a sandbox from standby");
        leaseWarm = Timer.builder("drover.pool.lease").tag("warm", "true").description("Wait for a sandbox lease")
                .publishPercentileHistogram().register(registry);
        leaseCold = Timer.builder("drover.pool.lease").tag("warm", "false").description("Wait for a sandbox lease")
                .publishPercentileHistogram().register(registry);
    }

    private static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram().register(registry);
    }

    @Override
    public void cloned(String baseHash, Duration took) {
        clone.record(took);
    }

    @Override
    public void resumed(String baseHash, Duration took) {
        resume.record(took);
    }

    @Override
    public void leased(String baseHash, Duration waited, boolean warm) {
        (warm ? leaseWarm : leaseCold).record(waited);
    }
}
