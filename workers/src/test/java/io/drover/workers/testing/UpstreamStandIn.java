package io.drover.workers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for an OpenAI-compatible API, on loopback, answering with fixed usage figures so
 * that tests can tell what the gateway recorded. It keeps every request it received.
 *
 * <p>Chat: 1,200 prompt tokens of which 200 cached, 300 completion tokens; model
 * {@code gpt-4o-mini-2024-07-18}. Streaming chat sends two content chunks, the usage-only chunk when
 * {@code stream_options.include_usage} is true, then {@code [DONE]}. Embeddings: 50 prompt tokens.
 */
public final class UpstreamStandIn implements AutoCloseable {
    public static final String KEY = "sk-upstream-test-key";
    public static final String ANSWERED_MODEL = "gpt-4o-mini-2024-07-18";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the stand-in saw it. */
    public record Received(String method, String path, String authorization, JsonNode body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "upstream-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public UpstreamStandIn() throws IOException {
        // As the gateway's own listener does (GatewayServer): no delayed-ACK wait on every answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL the gateway is configured with, e.g. {@code http://127.0.0.1:40000/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            JsonNode body = bytes.length == 0 ? null : JSON.readTree(bytes);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/json", "{\"error\":{\"message\":\"bad upstream key\"}}");
                return;
            }
            switch (path) {
                case "/v1/models" -> send(exchange, 200, "application/json",
                        "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}");
                case "/v1/embeddings" -> send(exchange, 200, "application/json", """
                        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],
                         "model":"text-embedding-3-small","usage":{"prompt_tokens":50,"total_tokens":50}}""");
                case "/v1/chat/completions" -> chat(exchange, body);
                default -> send(exchange, 404, "application/json", "{\"error\":{\"message\":\"no such path\"}}");
            }
        }
    }

    private static void chat(HttpExchange exchange, JsonNode body) throws IOException {
        String usage = "{\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":200}}";
        if (!body.path("stream").asBoolean(false)) {
            send(exchange, 200, "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\""
                    + ANSWERED_MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                    + "\"hello\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}");
            return;
        }
        boolean withUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        String nullUsage = withUsage ? ",\"usage\":null" : "";
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String word : List.of("hel", "lo")) {
            event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + ANSWERED_MODEL
                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"}}]" + nullUsage + "}");
        }
        if (withUsage) {
            event(out, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"" + ANSWERED_MODEL
                    + "\",\"choices\":[],\"usage\":" + usage + "}");
        }
        event(out, "[DONE]");
        out.close();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
