package io.drover.orchestrator.api;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.cluster.Instance;
import io.drover.orchestrator.config.DroverConfig;
import io.drover.persistence.sandbox.SandboxHost;
import io.drover.persistence.sandbox.SandboxStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a sandbox on another instance when this one cannot run its driver (an api replica runs
 * none): the live instances that offer the driver, those with the fewest open sandboxes first; the
 * next one is tried when one does not answer or answers 503.
 */
@ApplicationScoped
public class SandboxHosts {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxHosts.class);

    @Inject
    SandboxStore store;
    @Inject
    Forwarding forwarding;
    @Inject
    Instance self;
    @Inject
    DroverConfig config;

    /** The answer of the instance that took the request; empty when none offers the driver (or it was forwarded here). */
    Optional<Response> open(String driver, byte[] body, HttpHeaders headers, UriInfo uri) throws InterruptedException {
        if (headers.getHeaderString(Forwarding.FORWARDED_BY) != null) {
            return Optional.empty();
        }
        List<SandboxHost> hosts = store.hosts(driver, config.cluster().goneAfter()).stream()
                .filter(h -> !h.instance().equals(self.id())).toList();
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        List<String> tried = new ArrayList<>();
        for (SandboxHost host : hosts) {
            Optional<HttpResponse<InputStream>> answer = forwarding.send(host.instance(), host.address(), "POST",
                    SandboxAccess.pathAndQuery(uri), headers, body);
            if (answer.isPresent() && answer.get().statusCode() != 503) {
                return Optional.of(Forwarding.relayed(answer.get()));
            }
            tried.add(host.instance() + " at " + host.address() + (answer.isEmpty() ? " (unreachable)" : " (503)"));
            answer.ifPresent(SandboxHosts::discard);
            LOG.info("Instance {} could not open a {} sandbox; the next worker is tried", host.instance(), driver);
        }
        return Optional.of(Response.fromResponse(Problems.of(503, "no-sandbox-host", "No instance can open the sandbox",
                "this instance runs no " + driver + " sandbox, and every live instance that does was tried: "
                        + String.join(", ", tried) + "; try again", List.of())).header("Retry-After", "5").build());
    }

    private static void discard(HttpResponse<InputStream> answer) {
        try (InputStream in = answer.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.debug("Discarding a 503 answer: {}", e.toString());
        }
    }
}
