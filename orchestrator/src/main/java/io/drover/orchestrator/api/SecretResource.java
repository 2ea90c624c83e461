package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.auth.Callers;
import io.drover.orchestrator.secret.Secret;
import io.drover.orchestrator.secret.SecretStore;
import io.drover.orchestrator.spec.FieldError;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The caller tenant's secrets, given to its tasks by name (spec.task.secrets). A value goes in and
 * never comes out of the API: answers name the secret and when it changed.
 */
@Path("/api/v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretResource {
    /** A value is a password, a token or a key file, not a data set. */
    static final int MAX_VALUE_BYTES = 64 * 1024;

    @Inject
    SecretStore secrets;
    @Inject
    Callers callers;

    /** A secret as answered: never its value. */
    public record View(String name, Instant createdAt, Instant updatedAt) {
        static View of(Secret s) {
            return new View(s.name, s.createdAt, s.updatedAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        object(body, Set.of("name", "value"), errors);
        String name = text(body, "name", errors);
        if (name != null && !name.matches(Secret.NAME)) {
            errors.add(new FieldError("name", "must be letters, digits, '.', '_' and '-', starting with a letter or"
                    + " digit, at most 63 characters"));
        }
        String value = value(body, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String tenant = callers.tenant();
        Secret made = secrets.create(tenant, name, value).orElseThrow(() -> new ConflictException("tenant " + tenant
                + " has a secret " + name + " already: replace its value with PUT /api/v1/secrets/" + name));
        return Response.created(URI.create("/api/v1/secrets/" + name)).entity(View.of(made)).build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public View replace(@PathParam("name") String name, JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        object(body, Set.of("value"), errors);
        String value = value(body, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return secrets.replace(callers.tenant(), name, value).map(View::of)
                .orElseThrow(() -> new NotFoundException("secret " + name));
    }

    @GET
    public List<View> list() {
        return secrets.of(callers.tenant()).stream().map(View::of).toList();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        if (!secrets.delete(callers.tenant(), name)) {
            throw new NotFoundException("secret " + name);
        }
        return Response.noContent().build();
    }

    private static void object(JsonNode body, Set<String> fields, List<FieldError> errors) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("body", "must be an object with " + fields)));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                errors.add(new FieldError(f, "is not a secret field; expected one of " + fields));
            }
        });
    }

    private static String value(JsonNode body, List<FieldError> errors) {
        String value = text(body, "value", errors);
        if (value == null) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            errors.add(new FieldError("value", "must not contain a NUL character: it cannot be passed in an"
                    + " environment variable"));
        } else if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            errors.add(new FieldError("value", "must be at most 64 KiB of UTF-8"));
        }
        return value;
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || !value.isTextual() || value.asText().isEmpty()) {
            errors.add(new FieldError(field, "is required: a non-empty string"));
            return null;
        }
        return value.asText();
    }
}
