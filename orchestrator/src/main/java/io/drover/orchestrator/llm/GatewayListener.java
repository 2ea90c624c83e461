package io.drover.orchestrator.llm;

import io.drover.workers.llm.GatewayServer;
import java.util.Optional;

/**
 * The gateway's listener when it is enabled, and the addresses callers are given: processes on the
 * worker (agents) use the listener's own URL; sandboxed commands use {@code sandboxUrl} when one is
 * configured (the address the sandbox's network forwards to the listener).
 */
public final class GatewayListener implements AutoCloseable {
    private final GatewayServer server;
    private final Optional<String> sandboxUrl;

    public GatewayListener(GatewayServer server, Optional<String> sandboxUrl) {
        this.server = server;
        this.sandboxUrl = sandboxUrl;
    }

    public Optional<GatewayServer> server() {
        return Optional.ofNullable(server);
    }

    public String hostUrl() {
        return server.url();
    }

    public String sandboxUrl() {
        return sandboxUrl.orElseGet(server::url);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
