package io.drover.orchestrator.routes;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.orchestrator.sandbox.SandboxSessions;
import io.drover.workers.snapshot.SnapshotCollector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Garbage collection of unused base snapshots, on a timer; the collector does the work. Kept
 * sandboxes of failed attempts whose time is up are released the same way.
 */
@ApplicationScoped
public class SnapshotRoutes extends RouteBuilder {
    @Inject
    DroverConfig config;
    @Inject
    SnapshotCollector collector;
    @Inject
    SandboxSessions sessions;

    @Override
    public void configure() {
        long everyMs = config.snapshots().gcInterval().toMillis();
        // A pass that fails (the database is away) is logged by Camel and the next one tries again:
        // nothing is half done, since a base is only deleted after its row was claimed.
        from("timer:snapshot-gc?period=" + everyMs + "&delay=" + everyMs).routeId("snapshot-gc")
                .bean(collector, "collect");
        from("timer:kept-sandboxes?period=5000&delay=5000").routeId("kept-sandboxes-expiry")
                .bean(sessions, "expire");
    }
}
