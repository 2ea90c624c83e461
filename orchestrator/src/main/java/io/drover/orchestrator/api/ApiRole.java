package io.drover.orchestrator.api;

import io.drover.orchestrator.config.Roles;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A process without the {@code api} role answers its REST paths with a 404 problem that says so;
 * health and metrics stay served, for the orchestrator that runs it.
 */
@ApplicationScoped
public class ApiRole {
    @Inject
    Roles roles;

    void install(@Observes Router router) {
        if (roles.api()) {
            return;
        }
        router.route("/api/*").order(Integer.MIN_VALUE + 1).handler(ctx -> ctx.response().setStatusCode(404)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .end(Problems.json(404, "not-found", "Not found", "this process has no api role (drover.roles="
                        + roles + "); send API requests to a process that has it", List.of())));
    }
}
