package io.drover.workers.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI-compatible API the gateway forwards to.
 *
 * @param baseUrl up to and including the version, e.g. {@code https://api.openai.com/v1}
 * @param apiKey  sent as {@code Authorization: Bearer}; callers' own tokens never reach the upstream
 * @param timeout of one whole call, streaming included
 */
public record Upstream(URI baseUrl, Optional<String> apiKey, Duration timeout) {
    public Upstream {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** {@code baseUrl} + {@code /} + {@code path} (no leading slash), plus the query, if any. */
    public URI resolve(String path, String query) {
        String base = baseUrl.toString();
        String joined = (base.endsWith("/") ? base : base + "/") + path;
        return URI.create(query == null || query.isEmpty() ? joined : joined + "?" + query);
    }
}
