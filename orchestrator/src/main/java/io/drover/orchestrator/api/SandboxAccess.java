package io.drover.orchestrator.api;

import io.drover.orchestrator.cluster.Forwarding;
import io.drover.orchestrator.cluster.Owner;
import io.drover.orchestrator.cluster.Owners;
import io.drover.orchestrator.sandbox.SandboxSessions;
import io.drover.persistence.sandbox.SandboxRecord;
import io.drover.workers.llm.GatewayTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/**
 * Serves a request for one sandbox wherever the sandbox lives: here, from its session; on another
 * live instance, by forwarding the request to that owner; otherwise with a problem that says why
 * (unknown or closed: 404, wrong token: 401, owner gone: 410). The token is checked against the
 * recorded digest before anything is forwarded, and a forwarded request is never forwarded again.
 */
@ApplicationScoped
public class SandboxAccess {
    @Inject
    SandboxSessions sessions;
    @Inject
    Owners owners;
    @Inject
    Forwarding forwarding;

    /** What this instance does with a sandbox it holds. */
    @FunctionalInterface
    interface Local {
        Response serve(SandboxSessions.Session session) throws InterruptedException;
    }

    Response serve(String id, HttpHeaders headers, UriInfo uri, String method, byte[] body, Local local)
            throws InterruptedException {
        String token = GatewayTokens.bearer(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<SandboxSessions.Session> here = sessions.authorized(id, token);
        if (here.isPresent()) {
            return local.serve(here.get());
        }
        if (sessions.exists(id)) {
            throw unauthorized(id);
        }
        SandboxRecord record = sessions.recorded(id).orElseThrow(() -> new NotFoundException("sandbox " + id));
        if (!record.tokenMatches(token == null ? null : GatewayTokens.sha256(token))) {
            throw unauthorized(id);
        }
        Owner owner = owners.of(record.owner());
        if (record.lost() || (record.open() && owner instanceof Owner.Gone)) {
            return Problems.ownerGone("sandbox " + id + " lived in " + gone(owner, record) + "; it went with that"
                    + " process and cannot be used any more: open a new one (POST /api/v1/sandboxes)");
        }
        if (!record.open()) {
            return Problems.notHere("sandbox " + id + " was closed at " + record.closedAt());
        }
        if (owner instanceof Owner.Self) {
            return Problems.notHere("sandbox " + id + " is recorded as open in this instance (" + owners.self().id()
                    + ") but is no longer here");
        }
        String forwardedBy = headers.getHeaderString(Forwarding.FORWARDED_BY);
        if (forwardedBy != null) {
            return Problems.notHere("sandbox " + id + " is owned by instance " + record.owner() + ", not by this one ("
                    + owners.self().id() + "); a request forwarded by " + forwardedBy + " is not forwarded again");
        }
        Owner.Live live = (Owner.Live) owner;
        return forwarding.forward(live.instance(), method, pathAndQuery(uri), headers, body);
    }

    static String pathAndQuery(UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        return uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query);
    }

    private static String gone(Owner owner, SandboxRecord record) {
        String lostAt = record.lost() ? " (found gone at " + record.closedAt() + ")" : "";
        if (owner instanceof Owner.Gone g) {
            return g.described() + lostAt;
        }
        return "instance " + record.owner() + lostAt;
    }

    private static UnauthorizedException unauthorized(String id) {
        return new UnauthorizedException("sandbox " + id
                + " needs its token: Authorization: Bearer <token returned when it was opened>");
    }
}
