package io.drover.orchestrator.routes;

import io.drover.orchestrator.config.DroverConfig;
import io.drover.workers.snapshot.SnapshotCollector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/** Garbage collection of unused base snapshots, on a timer; the collector does the work. */
@ApplicationScoped
public class SnapshotRoutes extends RouteBuilder {
    @Inject
    DroverConfig config;
    @Inject
    SnapshotCollector collector;

    @Override
    public void configure() {
        long everyMs = config.snapshots().gcInterval().toMillis();
        // A pass that fails (the database is away) is logged by Camel and the next one tries again:
        // nothing is half done, since a base is only deleted after its row was claimed.
        from("timer:snapshot-gc?period=" + everyMs + "&delay=" + everyMs).routeId("snapshot-gc")
                .bean(collector, "collect");
    }
}
