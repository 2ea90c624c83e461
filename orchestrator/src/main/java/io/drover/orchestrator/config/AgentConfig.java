package io.drover.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Agents of {@code task.agent} (prefix {@code drover.agent}); see docs/job-spec.md. */
@ConfigMapping(prefix = "drover.agent")
public interface AgentConfig {

    /**
     * Drover's API as an agent on this worker reaches it, the base of {@code DROVER_SANDBOX_URL};
     * default {@code http://127.0.0.1:<quarkus.http.port>}.
     */
    Optional<String> apiUrl();
}
