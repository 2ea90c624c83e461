package io.drover.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The LLM gateway (prefix {@code drover.llm}); see docs/llm-gateway.md. Every key is listed in README.md. */
@ConfigMapping(prefix = "drover.llm")
public interface LlmConfig {

    Gateway gateway();

    Upstream upstream();

    interface Gateway {
        /** Serve the gateway; when false, attempts get no gateway token or address. */
        @WithDefault("true")
        boolean enabled();

        /** The address the gateway's own listener binds: loopback unless sandboxes elsewhere must reach it. */
        @WithDefault("127.0.0.1")
        String host();

        /** The gateway's port, apart from the API's, so that its callers reach nothing else; 0 picks a free one. */
        @WithDefault("4141")
        int port();

        /** Calls served at once (a streamed call holds one for its whole length); more wait in line. */
        @WithDefault("32")
        int threads();

        /**
         * The gateway's base URL as commands inside a sandbox reach it ({@code OPENAI_BASE_URL} of a
         * {@code task.command}); default: {@code http://127.0.0.1:4141/llm/v1}, which every sandbox's
         * network forwards to the listener's port.
         */
        Optional<String> sandboxUrl();
    }

    interface Upstream {
        /** The OpenAI-compatible API forwarded to, up to its version, e.g. https://api.openai.com/v1; unset: calls get 503. */
        Optional<URI> baseUrl();

        /** The upstream's API key; never shown to callers. */
        Optional<String> apiKey();

        /** A file holding the upstream's API key (e.g. a mounted secret); used when api-key is not set. */
        Optional<Path> apiKeyFile();

        /** The longest one forwarded call may take, streaming included. */
        @WithDefault("10m")
        Duration timeout();
    }
}
