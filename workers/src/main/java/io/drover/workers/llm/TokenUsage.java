package io.drover.workers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The tokens of one call, as OpenAI-compatible APIs report them in {@code usage}. {@code input}
 * excludes {@code cachedInput}: each is billed at its own price, as in the usage file.
 */
public record TokenUsage(long input, long cachedInput, long output) {

    /**
     * From a {@code usage} object: {@code prompt_tokens} (of which
     * {@code prompt_tokens_details.cached_tokens} were cached) and {@code completion_tokens}
     * (absent for embeddings). Empty when there is no usable usage object.
     */
    public static Optional<TokenUsage> of(JsonNode usage) {
        if (usage == null || !usage.isObject() || !usage.path("prompt_tokens").canConvertToLong()) {
            return Optional.empty();
        }
        long prompt = Math.max(0, usage.path("prompt_tokens").asLong());
        long cached = Math.min(prompt, Math.max(0, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0)));
        long completion = Math.max(0, usage.path("completion_tokens").asLong(0));
        return Optional.of(new TokenUsage(prompt - cached, cached, completion));
    }

    public long total() {
        return input + cachedInput + output;
    }
}
