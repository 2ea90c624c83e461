package io.drover.orchestrator.api;

import io.drover.sandbox.SandboxException;
import io.drover.workers.snapshot.BaseLayerServer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where peer nodes fetch this node's bases: a tar stream of a READY base's layer, served by every
 * process with the worker role (not under /api, so a worker without the api role serves it too).
 * What it serves and to whom is {@link BaseLayerServer}'s rule.
 */
@Path("/internal/v1/bases")
public class BaseLayerResource {
    static final String CONTENT_HASH_HEADER = "X-Drover-Content-Hash";

    @Inject
    BaseLayerServer server;

    @GET
    @Path("{hash}")
    public Response get(@PathParam("hash") String hash, @HeaderParam("Authorization") String authorization,
            @Context HttpServerRequest request) throws IOException {
        InetAddress caller = InetAddress.getByName(request.remoteAddress().hostAddress());
        BaseLayerServer.Answer answer = server.open(hash, Optional.ofNullable(authorization), caller);
        if (answer instanceof BaseLayerServer.Answer.Layer layer) {
            StreamingOutput body = out -> {
                try {
                    layer.writeTo(out);
                } catch (SandboxException e) {
                    throw new IOException(e.getMessage(), e);
                }
            };
            return Response.ok(body, "application/x-tar").header(CONTENT_HASH_HEADER, layer.contentHash()).build();
        }
        BaseLayerServer.Answer.Refused refused = (BaseLayerServer.Answer.Refused) answer;
        String type = switch (refused.status()) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            default -> "not-found";
        };
        return Response.status(refused.status()).type(Problems.MEDIA_TYPE)
                .entity(Problems.json(refused.status(), type, "Base not served", refused.reason(), List.of())).build();
    }
}
