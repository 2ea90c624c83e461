package io.drover.workers.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible gateway: authenticates the caller's bearer token, refuses a caller whose
 * subtask or job has reached its budget, forwards the call to the upstream with the upstream's own
 * key, relays the answer (streams event by event) and records the tokens it used.
 */
public final class GatewayHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request bodies larger than this are refused (413) without reaching the upstream. */
    static final int MAX_REQUEST_BYTES = 32 << 20;
    private static final List<String> RELAYED_HEADERS = List.of("Content-Type", "x-request-id");

    private final Optional<Upstream> upstream;
    private final CallerLookup callers;
    private final GatewayLedger ledger;
    private final GatewayMetrics metrics;
    private final HttpClient client;

    /** @param upstream empty when none is configured: every call is then answered 503 */
    public GatewayHandler(Optional<Upstream> upstream, CallerLookup callers, GatewayLedger ledger,
            GatewayMetrics metrics) {
        this.upstream = upstream;
        this.callers = callers;
        this.ledger = ledger;
        this.metrics = metrics;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String endpointTag = "other";
        int status = 500;
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Endpoint endpoint = Endpoint.of(exchange.getRequestMethod(), path);
            if (endpoint == null) {
                status = answer(exchange, OpenAiError.notFound(exchange.getRequestMethod() + " " + path));
                return;
            }
            endpointTag = endpoint.tag();
            String token = GatewayTokens.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
            Optional<Caller> caller = token == null ? Optional.empty() : callers.find(token);
            if (caller.isEmpty()) {
                metrics.refused("unauthorized");
                status = answer(exchange, OpenAiError.unauthorized());
                return;
            }
            if (upstream.isEmpty()) {
                metrics.refused("not-configured");
                status = answer(exchange, OpenAiError.notConfigured());
                return;
            }
            if (caller.get() instanceof Caller.Attempt attempt && endpoint != Endpoint.MODELS) {
                Optional<String> reached = attempt.holder().budgetReached();
                if (reached.isPresent()) {
                    metrics.refused("budget");
                    status = answer(exchange, OpenAiError.budget(reached.get()));
                    return;
                }
            }
            status = forward(exchange, endpoint, caller.get(), upstream.get());
        } catch (IOException e) {
            LOG.debug("A gateway call ended early ({}): the caller or the upstream went away", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("A gateway call failed", e);
        } finally {
            metrics.call(endpointTag, status, System.nanoTime() - start);
        }
    }

    private int forward(HttpExchange exchange, Endpoint endpoint, Caller caller, Upstream up)
            throws IOException, InterruptedException {
        Request request;
        if (endpoint == Endpoint.MODELS) {
            request = new Request(null, null, false, false);
        } else {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
            if (body.length > MAX_REQUEST_BYTES) {
                return answer(exchange, new OpenAiError(413, "invalid_request_error", "body_too_large",
                        "the request body is larger than " + MAX_REQUEST_BYTES + " bytes"));
            }
            Optional<Request> read = Request.read(endpoint, body);
            if (read.isEmpty()) {
                return answer(exchange, OpenAiError.badRequest("the request body must be a JSON object"));
            }
            request = read.get();
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(up.resolve(endpoint.path, exchange.getRequestURI()
                .getRawQuery())).timeout(up.timeout());
        up.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            builder.header("Accept", accept);
        }
        if (request.body() == null) {
            builder.GET();
        } else {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warn("The LLM upstream {} could not be reached: {}", up.baseUrl(), e.toString());
            return answer(exchange, OpenAiError.upstreamFailed(e.toString()));
        }
        try (InputStream in = response.body()) {
            for (String name : RELAYED_HEADERS) {
                response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
            }
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (status == 200 && request.stream() && type.startsWith("text/event-stream")) {
                exchange.sendResponseHeaders(status, 0);
                OutputStream out = exchange.getResponseBody();
                SseRelay.Seen seen = SseRelay.relay(in, out, request.injectedUsage());
                // Before the end of the answer, so that the caller's next call sees the spend.
                account(caller, request.model(), seen.model(), seen.usage(), endpoint);
                if (seen.callerGone()) {
                    LOG.debug("A streaming caller went away before the end; the stream was read to its end for its usage");
                    return 499;
                }
                out.close();
                return status;
            }
            byte[] bytes = in.readAllBytes();
            if (status == 200 && endpoint != Endpoint.MODELS) {
                JsonNode answer = parseQuietly(bytes);
                // Before the caller has the answer, so that its next call sees the spend.
                account(caller, request.model(), answer.path("model").asText(null), answer.get("usage"), endpoint);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            return status;
        }
    }

    private void account(Caller caller, String requested, String answered, JsonNode usage, Endpoint endpoint) {
        Optional<TokenUsage> tokens = TokenUsage.of(usage);
        String model = ledger.pricedModel(requested, answered);
        if (tokens.isEmpty()) {
            LOG.warn("The upstream's answer to {} for model {} carried no usage: the call is not metered",
                    endpoint.path, model);
            return;
        }
        try {
            ledger.record(caller, model, tokens.get());
        } catch (RuntimeException e) {
            LOG.error("Could not record {} tokens of model {} for {} ({}); the call is not in the ledger",
                    tokens.get().total(), model, caller, e.toString());
        }
    }

    private static JsonNode parseQuietly(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static int answer(HttpExchange exchange, OpenAiError error) throws IOException {
        byte[] body = error.body();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(error.status(), body.length);
        exchange.getResponseBody().write(body);
        return error.status();
    }

    /**
     * A call's body as forwarded: with {@code stream_options.include_usage} added when the caller
     * streams without asking for usage ({@code injectedUsage}), so that the call can be metered.
     */
    private record Request(byte[] body, String model, boolean stream, boolean injectedUsage) {
        static Optional<Request> read(Endpoint endpoint, byte[] body) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                return Optional.empty();
            }
            if (json == null || !json.isObject()) {
                return Optional.empty();
            }
            String model = json.path("model").isTextual() ? json.get("model").asText() : null;
            boolean stream = endpoint == Endpoint.CHAT_COMPLETIONS && json.path("stream").asBoolean(false);
            if (!stream || json.path("stream_options").path("include_usage").asBoolean(false)) {
                return Optional.of(new Request(body, model, stream, false));
            }
            ObjectNode root = (ObjectNode) json;
            ObjectNode options = root.get("stream_options") instanceof ObjectNode o ? o : root.putObject("stream_options");
            options.put("include_usage", true);
            try {
                return Optional.of(new Request(JSON.writeValueAsBytes(root), model, true, true));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
