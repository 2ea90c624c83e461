package io.drover.orchestrator.config;

import io.drover.workers.llm.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters: tokens by model (the price table's models and {@code other}) and kind, call
 * latency by endpoint and status, refusals by reason. No job or caller tags: bounded series.
 */
final class GatewayMeters implements GatewayMetrics {
    private final MeterRegistry registry;

    GatewayMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void call(String endpoint, int status, long nanos) {
        Timer.builder("drover.llm.gateway.latency").description("LLM gateway calls, from request to the end of the answer")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void tokens(String model, String kind, long tokens) {
        if (tokens > 0) {
            Counter.builder("drover.llm.tokens").description("Tokens used through the LLM gateway")
                    .tag("model", model).tag("kind", kind).register(registry).increment(tokens);
        }
    }

    @Override
    public void refused(String reason) {
        Counter.builder("drover.llm.gateway.refusals").description("LLM gateway calls refused, by reason")
                .tag("reason", reason).register(registry).increment();
    }
}
