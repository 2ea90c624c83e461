package io.drover.orchestrator.testing;

import io.drover.workers.testing.UpstreamStandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A stand-in LLM upstream on loopback that the gateway of the test server forwards to. */
public class UpstreamResource implements QuarkusTestResourceLifecycleManager {
    private static volatile UpstreamStandIn upstream;

    /** The running stand-in, to see what the gateway forwarded. */
    public static UpstreamStandIn upstream() {
        return upstream;
    }

    @Override
    public Map<String, String> start() {
        try {
            upstream = new UpstreamStandIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("drover.llm.upstream.base-url", upstream.baseUrl(),
                "drover.llm.upstream.api-key", UpstreamStandIn.KEY);
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
