package io.drover.orchestrator.cluster;

import io.drover.orchestrator.api.Problems;
import io.drover.persistence.instance.InstanceRecord;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request on to the instance that owns what it asks for, and streams the answer back as it
 * comes (an NDJSON exec line by line). The JDK client blocks one thread per forwarded request,
 * as the local answer does (REST methods here are blocking), and needs no framework.
 */
public final class Forwarding {
    /** Marks a forwarded request with the id of the instance that forwarded it: it is never forwarded again. */
    public static final String FORWARDED_BY = "Drover-Forwarded-By";
    /** Names the instance that served an answer. */
    public static final String SERVED_BY = "Drover-Served-By";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);
    private static final List<String> PASSED = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.ACCEPT,
            HttpHeaders.CONTENT_TYPE);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a GET or DELETE waits for the owner's answer to begin (a frozen owner accepts the
     * connection but never answers). POSTs wait as long as they take: an exec answers when its
     * command ends, an open when its base is built.
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Instance self;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    public Forwarding(Instance self) {
        this.self = self;
    }

    /** The request as the owner answers it, or a 503 problem naming the owner when it cannot be reached. */
    public Response forward(InstanceRecord owner, String method, String pathAndQuery, HttpHeaders headers,
            byte[] body) throws InterruptedException {
        return send(owner.id(), owner.address(), method, pathAndQuery, headers, body).map(Forwarding::relayed)
                .orElseGet(() -> unreachable(owner));
    }

    /** The answer of the instance at {@code address}, or empty when it could not be reached (refused, timed out). */
    public Optional<HttpResponse<InputStream>> send(String instance, String address, String method,
            String pathAndQuery, HttpHeaders headers, byte[] body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(FORWARDED_BY, self.id());
        if (!"POST".equals(method)) {
            request.timeout(ANSWER_TIMEOUT);
        }
        for (String name : PASSED) {
            List<String> values = headers.getRequestHeader(name);
            if (values != null) {
                values.forEach(v -> request.header(name, v));
            }
        }
        try {
            return Optional.of(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            LOG.warn("Could not forward {} {} to instance {} at {}: {}. The caller is answered 503 and may try again.",
                    method, pathAndQuery, instance, address, e.toString());
            return Optional.empty();
        }
    }

    /** A 503 problem naming an instance that is live by its heartbeat but does not answer (in time). */
    public static Response unreachable(InstanceRecord owner) {
        return Response.fromResponse(Problems.of(503, "owner-unreachable", "Owner instance unreachable",
                "instance " + owner.id() + " (node " + owner.node() + ") owns this, and was seen at " + owner.seen()
                        + ", but does not answer at " + owner.address() + " (its drover.cluster.address); try again,"
                        + " or check that address is reachable from the other instances", List.of()))
                .header("Retry-After", "5").build();
    }

    /** The owner's status, type, location and body, the body streamed through as it arrives. */
    public static Response relayed(HttpResponse<InputStream> answer) {
        InputStream in = answer.body();
        if (answer.statusCode() == 204) {
            closeQuietly(in);
            Response.ResponseBuilder empty = Response.noContent();
            answer.headers().firstValue(SERVED_BY).ifPresent(v -> empty.header(SERVED_BY, v));
            return empty.build();
        }
        StreamingOutput copy = out -> {
            try (in) {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        };
        Response.ResponseBuilder relayed = Response.status(answer.statusCode()).entity(copy);
        answer.headers().firstValue(HttpHeaders.CONTENT_TYPE).ifPresent(relayed::type);
        answer.headers().firstValue("Retry-After").ifPresent(v -> relayed.header("Retry-After", v));
        answer.headers().firstValue(SERVED_BY).ifPresent(v -> relayed.header(SERVED_BY, v));
        // The owner's Location names the owner's address; the caller keeps using the address it called.
        answer.headers().firstValue(HttpHeaders.LOCATION)
                .ifPresent(location -> relayed.header(HttpHeaders.LOCATION, URI.create(location).getRawPath()));
        return relayed.build();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("Closing a forwarded answer's body: {}", e.toString());
        }
    }
}
