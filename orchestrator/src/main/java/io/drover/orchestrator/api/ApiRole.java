package io.drover.orchestrator.api;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.config.Roles;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A process without the {@code api} role answers its REST paths with a 404 problem that says so;
 * health and metrics stay served, for the orchestrator that runs it. It still serves what it owns:
 * requests other instances forward to it ({@link Forwarding#FORWARDED_BY}), and its sandboxes by id
 * (each guarded by its token), which agents on this worker call directly.
 */
@ApplicationScoped
public class ApiRole {
    /** One sandbox's own paths, which take that sandbox's token rather than an API token. */
    public static final Pattern ONE_SANDBOX = Pattern.compile("/api/v1/sandboxes/[^/]+(/exec)?");

    @Inject
    Roles roles;

    void install(@Observes Router router) {
        if (roles.api()) {
            return;
        }
        router.route("/api/*").order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (ctx.request().getHeader(Forwarding.FORWARDED_BY) != null
                    || ONE_SANDBOX.matcher(ctx.request().path()).matches()) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                    .end(Problems.json(404, "not-found", "Not found", "this process has no api role (drover.roles="
                            + roles + "); send API requests to a process that has it", List.of()));
        });
    }
}
