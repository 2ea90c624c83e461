package io.drover.orchestrator.routes;

import io.drover.orchestrator.cluster.InstanceRegistration;
import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.sandbox.SandboxReclaim;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Renews this process's instance row, so that the others know it is still there, and marks lost
 * the sandboxes of instances that are gone.
 */
@ApplicationScoped
public class InstanceRoutes extends RouteBuilder {
    @Inject
    DroverConfig config;
    @Inject
    InstanceRegistration registration;
    @Inject
    SandboxReclaim reclaim;

    @Override
    public void configure() {
        long everyMs = config.cluster().heartbeatInterval().toMillis();
        from("timer:instance-heartbeat?period=" + everyMs + "&delay=" + everyMs).routeId("instance-heartbeat")
                .bean(registration, "beat");
        long reclaimMs = config.cluster().goneAfter().toMillis();
        from("timer:sandbox-reclaim?period=" + reclaimMs + "&delay=" + reclaimMs).routeId("sandbox-reclaim")
                .bean(reclaim, "reclaim");
    }
}
