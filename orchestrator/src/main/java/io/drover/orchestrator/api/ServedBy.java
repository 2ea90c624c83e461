package io.drover.orchestrator.api;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.cluster.Instance;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Names the instance that answered, on every API answer (a forwarded one keeps its owner's name). */
@ApplicationScoped
public class ServedBy {
    @Inject
    Instance self;

    void install(@Observes Router router) {
        String id = self.id();
        router.route("/api/*").order(Integer.MIN_VALUE).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (!ctx.response().headers().contains(Forwarding.SERVED_BY)) {
                    ctx.response().putHeader(Forwarding.SERVED_BY, id);
                }
            });
            ctx.next();
        });
    }
}
