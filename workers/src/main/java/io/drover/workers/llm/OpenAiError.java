package io.drover.workers.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * An error as OpenAI-compatible clients expect it:
 * {@code {"error": {"message", "type", "param", "code"}}}, so that their SDKs show the message.
 */
public record OpenAiError(int status, String type, String code, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static OpenAiError unauthorized() {
        return new OpenAiError(401, "invalid_request_error", "invalid_api_key", "Drover's LLM gateway needs the token"
                + " of a running attempt (DROVER_TOKEN, also given as OPENAI_API_KEY) or of an exec-API sandbox:"
                + " Authorization: Bearer <token>. The token is unknown, or its attempt has ended.");
    }

    static OpenAiError budget(String why) {
        return new OpenAiError(402, "insufficient_quota", "budget_exceeded",
                "Drover refuses this call: " + why + ". Raise spec.budget to spend more.");
    }

    static OpenAiError notConfigured() {
        return new OpenAiError(503, "server_error", "gateway_not_configured", "Drover's LLM gateway has no upstream:"
                + " set drover.llm.upstream.base-url (and drover.llm.upstream.api-key or .api-key-file).");
    }

    static OpenAiError notFound(String path) {
        return new OpenAiError(404, "invalid_request_error", "unknown_url", "Drover's LLM gateway serves"
                + " GET /llm/v1/models, POST /llm/v1/chat/completions and POST /llm/v1/embeddings; not " + path + ".");
    }

    static OpenAiError badRequest(String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_body", message);
    }

    static OpenAiError upstreamFailed(String message) {
        return new OpenAiError(502, "server_error", "upstream_unreachable",
                "Drover's LLM gateway could not reach its upstream: " + message);
    }

    public byte[] body() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", code);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
