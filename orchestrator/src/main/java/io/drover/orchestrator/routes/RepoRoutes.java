package io.drover.orchestrator.routes;

import io.drover.orchestrator.config.GitConfig;
import io.drover.scheduler.gitsync.RepoSyncer;
import io.drover.orchestrator.config.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Polls every registered repository. Each instance polls: a sync that another instance already
 * applied finds nothing to change, and the upserts keep schedules from being created twice.
 */
@ApplicationScoped
public class RepoRoutes extends RouteBuilder {
    @Inject
    GitConfig config;
    @Inject
    RepoSyncer syncer;
    @Inject
    Roles roles;

    @Override
    public void configure() {
        if (!roles.scheduler()) {
            return;
        }
        long pollMs = config.pollInterval().toMillis();
        from("timer:repo-sync?period=" + pollMs + "&delay=" + pollMs).routeId("repo-sync")
                .bean(syncer, "syncAll");
    }
}
