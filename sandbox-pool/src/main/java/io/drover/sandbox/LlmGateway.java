package io.drover.sandbox;

/**
 * Where a sandbox reaches Drover's LLM gateway: a fixed address on the sandbox's own loopback,
 * forwarded by the driver to the gateway's port on the host's loopback. It works in every network
 * mode but {@link NetworkPolicy.Mode#HOST}, where the sandbox shares the host's loopback and
 * reaches the gateway at its host port instead. Nothing else on the host's loopback is reachable.
 */
public final class LlmGateway {
    /** The port the gateway answers on inside a sandbox, at 127.0.0.1. */
    public static final int SANDBOX_PORT = 4141;
    /** The base URL of the gateway's OpenAI-compatible API, as seen from inside a sandbox. */
    public static final String SANDBOX_URL = "http://127.0.0.1:" + SANDBOX_PORT + "/llm/v1";

    private LlmGateway() {
    }

    /** The URL a sandbox with {@code policy} uses, given the gateway's port on the host. */
    public static String url(NetworkPolicy policy, int hostPort) {
        return policy.mode() == NetworkPolicy.Mode.HOST ? "http://127.0.0.1:" + hostPort + "/llm/v1" : SANDBOX_URL;
    }
}
