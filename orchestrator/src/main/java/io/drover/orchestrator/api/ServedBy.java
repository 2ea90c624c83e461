package io.drover.orchestrator.api;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.cluster.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Names the instance that answered, on every API answer (a forwarded one keeps its owner's name). */
public class ServedBy {
    @Inject
    Instance self;

    @ServerResponseFilter
    public void name(ContainerResponseContext response) {
        if (!response.getHeaders().containsKey(Forwarding.SERVED_BY)) {
            response.getHeaders().putSingle(Forwarding.SERVED_BY, self.id());
        }
    }
}
