package io.drover.workers.llm;

import io.drover.persistence.attempt.AttemptTokens;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues each attempt a fresh random token, stored in PostgreSQL as its SHA-256 only (any instance
 * can then authenticate it), and revokes it when the attempt ends.
 */
public final class AttemptGrants implements LlmAccess {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptGrants.class);

    private final AttemptTokens tokens;
    private final Supplier<String> hostUrl;
    private final Supplier<String> sandboxUrl;

    /**
     * @param hostUrl    the gateway's base URL for processes on the worker host (agents)
     * @param sandboxUrl the gateway's base URL for commands inside a sandbox
     */
    public AttemptGrants(AttemptTokens tokens, Supplier<String> hostUrl, Supplier<String> sandboxUrl) {
        this.tokens = tokens;
        this.hostUrl = hostUrl;
        this.sandboxUrl = sandboxUrl;
    }

    @Override
    public Grant grant(long attemptId) {
        String token = GatewayTokens.newToken();
        if (!tokens.issue(attemptId, GatewayTokens.sha256(token))) {
            throw new IllegalStateException("attempt " + attemptId + " is no longer running; it gets no token");
        }
        return new Grant() {
            @Override
            public Map<String, String> env(boolean onHost) {
                Map<String, String> env = new LinkedHashMap<>();
                String url = onHost ? hostUrl.get() : sandboxUrl.get();
                env.put("DROVER_TOKEN", token);
                env.put("OPENAI_API_KEY", token);
                env.put("DROVER_LLM_URL", url);
                env.put("OPENAI_BASE_URL", url);
                return env;
            }

            @Override
            public void close() {
                try {
                    tokens.revoke(attemptId);
                } catch (RuntimeException e) {
                    // The token still dies with the attempt's RUNNING state.
                    LOG.warn("Could not revoke the token of attempt {} ({}); it stops working when the attempt's"
                            + " end is recorded", attemptId, e.getMessage());
                }
            }
        };
    }
}
