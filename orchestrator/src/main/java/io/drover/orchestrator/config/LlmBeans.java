package io.drover.orchestrator.config;

import io.drover.orchestrator.llm.GatewayListener;
import io.drover.sandbox.LlmGateway;
import jakarta.inject.Provider;
import io.drover.orchestrator.sandbox.LentSandboxes;
import io.drover.orchestrator.sandbox.SandboxSessions;
import io.drover.persistence.Database;
import io.drover.persistence.attempt.AttemptTokens;
import io.drover.workers.agent.AgentSandbox;
import io.drover.workers.cost.CostListener;
import io.drover.workers.cost.PriceTable;
import io.drover.workers.llm.AttemptGrants;
import io.drover.workers.llm.Caller;
import io.drover.workers.llm.CallerLookup;
import io.drover.workers.llm.GatewayHandler;
import io.drover.workers.llm.GatewayLedger;
import io.drover.workers.llm.GatewayMetrics;
import io.drover.workers.llm.GatewayServer;
import io.drover.workers.llm.LlmAccess;
import io.drover.workers.llm.Upstream;
import io.drover.workers.sandbox.Pools;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the LLM gateway (its own listener), attempts' gateway tokens and {@code task.agent}. */
@ApplicationScoped
public class LlmBeans {
    private static final Logger LOG = LoggerFactory.getLogger(LlmBeans.class);

    @Produces
    @Singleton
    AttemptTokens attemptTokens(Database db) {
        return new AttemptTokens(db);
    }

    /** Sandboxes are looked up lazily: the sandbox drivers need this listener's port first. */
    @Produces
    @Singleton
    GatewayListener gatewayListener(LlmConfig config, AttemptTokens tokens, Provider<SandboxSessions> sessions, PriceTable prices,
            MeterRegistry registry, CostListener costMetrics) {
        LlmConfig.Gateway g = config.gateway();
        if (!g.enabled()) {
            LOG.info("The LLM gateway is disabled (drover.llm.gateway.enabled=false): attempts get no gateway token");
            return new GatewayListener(null, Optional.empty());
        }
        if (g.port() < 0 || g.port() > 65535) {
            throw new IllegalArgumentException("drover.llm.gateway.port must be 0..65535 (0: any free port); was "
                    + g.port());
        }
        if (g.threads() < 1) {
            throw new IllegalArgumentException("drover.llm.gateway.threads must be at least 1; was " + g.threads());
        }
        GatewayMetrics metrics = new GatewayMeters(registry);
        GatewayLedger ledger = new GatewayLedger(tokens, () -> prices, costMetrics, metrics);
        CallerLookup callers = CallerLookup.attempts(tokens).orElse(token -> sessions.get().sandboxWithToken(token).map(Caller.Sandbox::new));
        GatewayHandler handler = new GatewayHandler(upstream(config.upstream()), callers, ledger, metrics);
        // Sandboxes reach the listener through their network's fixed forward (CoreBeans wires its port).
        return new GatewayListener(GatewayServer.start(new InetSocketAddress(g.host(), g.port()), g.threads(), handler),
                Optional.of(g.sandboxUrl().orElse(LlmGateway.SANDBOX_URL)));
    }

    /** Listens from start-up, whether or not a worker has asked for it yet. */
    void listen(@Observes StartupEvent event, GatewayListener listener) {
        listener.server().ifPresent(s -> LOG.debug("LLM gateway at {}", s.url()));
    }

    void closeListener(@Disposes GatewayListener listener) {
        listener.close();
    }

    @Produces
    @Singleton
    LlmAccess llmAccess(GatewayListener listener, AttemptTokens tokens) {
        return listener.server().isPresent() ? new AttemptGrants(tokens, listener::hostUrl, listener::sandboxUrl)
                : LlmAccess.NONE;
    }

    @Produces
    @Singleton
    AgentSandbox agentSandbox(Pools pools, SandboxSessions sessions, AgentConfig config) {
        return new AgentSandbox(pools, new LentSandboxes(sessions, () -> config.apiUrl().orElseGet(LlmBeans::localApi)));
    }

    /** The API as seen from this host; in tests the port is the one picked at start-up. */
    static String localApi() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String port = System.getProperty(key);
        if (port == null) {
            port = ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse("8080");
        }
        return "http://127.0.0.1:" + port;
    }

    static Optional<Upstream> upstream(LlmConfig.Upstream u) {
        if (u.baseUrl().isEmpty()) {
            LOG.warn("No LLM upstream is configured (drover.llm.upstream.base-url): gateway calls are answered 503");
            return Optional.empty();
        }
        URI base = u.baseUrl().get();
        if (!base.isAbsolute() || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw new IllegalArgumentException("drover.llm.upstream.base-url must be an http(s) URL such as"
                    + " https://api.openai.com/v1; was " + base);
        }
        Optional<String> key = u.apiKey().filter(k -> !k.isBlank());
        if (key.isEmpty() && u.apiKeyFile().isPresent()) {
            try {
                key = Optional.of(Files.readString(u.apiKeyFile().get(), StandardCharsets.UTF_8).strip())
                        .filter(k -> !k.isEmpty());
            } catch (IOException e) {
                throw new IllegalArgumentException("drover.llm.upstream.api-key-file " + u.apiKeyFile().get()
                        + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (key.isEmpty()) {
            LOG.warn("The LLM upstream {} gets no API key (drover.llm.upstream.api-key or .api-key-file)", base);
        }
        return Optional.of(new Upstream(base, key, u.timeout()));
    }
}
