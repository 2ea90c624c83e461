package io.drover.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.orchestrator.spec.FieldError;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 problem responses ({@code application/problem+json}); types are documented in docs/api.md. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static Response of(int status, String type, String title, String detail, List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE).entity(json(status, type, title, detail, errors)).build();
    }

    /** The problem body itself, for answers written below the REST layer. */
    public static String json(int status, String type, String title, String detail, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:drover:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Response invalidSpec(List<FieldError> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return of(400, "invalid-spec", "Invalid job spec", detail + "; nothing was stored", errors);
    }

    public static Response badParameter(String parameter, String expected) {
        return of(400, "invalid-parameter", "Invalid request parameter", parameter + ": " + expected,
                List.of(new FieldError(parameter, expected)));
    }

    public static Response notFound(String what) {
        return of(404, "not-found", "Not found", what + " does not exist", List.of());
    }

    /** 404 with a detail of its own, e.g. what happened to the thing. */
    public static Response notHere(String detail) {
        return of(404, "not-found", "Not found", detail, List.of());
    }

    /** 410: what the request names lived in an instance that is gone; the detail names it. */
    public static Response ownerGone(String detail) {
        return of(410, "owner-gone", "Owner instance gone", detail, List.of());
    }

    public static Response conflict(String detail) {
        return of(409, "conflict", "Conflict", detail, List.of());
    }
}
