package io.drover.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.output.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Drover's REST API under {@code /api/v1}, with a bearer token; every failure is an {@link ApiException}. */
public final class Api {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Plain requests answer in milliseconds; a server that does not answer in this is reported as unreachable. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;

    public Api(URI server, Optional<String> token) {
        this(server, token, REQUEST_TIMEOUT);
    }

    private Api(URI server, Optional<String> token, Duration timeout) {
        this.server = server;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The same API, waiting up to {@code longer} for answers: a sandbox's base build, an exec. */
    public Api waiting(Duration longer) {
        return new Api(server, token, longer);
    }

    public URI server() {
        return server;
    }

    public JsonNode get(String path) {
        return Json.parse(send("GET", path, HttpRequest.BodyPublishers.noBody(), null, null));
    }

    /** The answer as text (a log); empty when the server answers 404 and {@code missingOk}. */
    public Optional<String> text(String path, boolean missingOk) {
        try {
            return Optional.of(send("GET", path, HttpRequest.BodyPublishers.noBody(), null, "text/plain"));
        } catch (ApiException.Refused e) {
            if (missingOk && e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public JsonNode post(String path, String contentType, String body) {
        return Json.parse(send("POST", path, HttpRequest.BodyPublishers.ofString(body), contentType, null));
    }

    /** POST with an {@code Idempotency-Key}: the same key and body give the same job. */
    public JsonNode post(String path, String contentType, String body, String idempotencyKey) {
        return Json.parse(send("POST", path, HttpRequest.BodyPublishers.ofString(body), contentType, null,
                Map.of("Idempotency-Key", idempotencyKey)));
    }

    public JsonNode post(String path, JsonNode body) {
        return post(path, "application/json", Json.compact(body));
    }

    public JsonNode post(String path) {
        return Json.parse(send("POST", path, HttpRequest.BodyPublishers.noBody(), null, null));
    }

    public void delete(String path) {
        send("DELETE", path, HttpRequest.BodyPublishers.noBody(), null, null);
    }

    /** Sends with another bearer token than the API's (a sandbox's own). */
    public Api withToken(String otherToken) {
        return new Api(server, Optional.of(otherToken), timeout);
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, String contentType, String accept) {
        return send(method, path, body, contentType, accept, Map.of());
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, String contentType, String accept,
            Map<String, String> headers) {
        URI uri = server.resolve("/api/v1" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body)
                .header("Accept", accept == null ? "application/json" : accept);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException.Unreachable("cannot reach Drover at " + server + " (" + describe(e)
                    + "): start it (./drover server) or point --server or DROVER_SERVER at it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.Unreachable("interrupted while waiting for " + server, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        JsonNode problem = Json.tryParse(response.body()).orElse(null);
        if (status == 401 || status == 403) {
            throw new ApiException.TokenRefused(method, path, status, problem);
        }
        throw new ApiException.Refused(method, path, status, problem);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
