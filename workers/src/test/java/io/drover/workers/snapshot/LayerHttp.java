package io.drover.workers.snapshot;

import com.sun.net.httpserver.HttpServer;
import io.drover.sandbox.SandboxException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A node's {@link BaseLayerServer} on a loopback HTTP port, as the orchestrator's resource serves
 * it: what a peer's {@link PeerFetch} talks to in tests and in the benchmark.
 */
public final class LayerHttp implements AutoCloseable {
    private final HttpServer server;

    public LayerHttp(BaseLayerServer layers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PeerFetch.PATH, exchange -> {
            String hash = exchange.getRequestURI().getPath().substring(PeerFetch.PATH.length());
            BaseLayerServer.Answer answer = layers.open(hash,
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                    exchange.getRemoteAddress().getAddress());
            if (answer instanceof BaseLayerServer.Answer.Layer layer) {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    layer.writeTo(out);
                } catch (SandboxException e) {
                    throw new IOException(e);
                }
            } else {
                BaseLayerServer.Answer.Refused refused = (BaseLayerServer.Answer.Refused) answer;
                byte[] body = refused.reason().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(refused.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
