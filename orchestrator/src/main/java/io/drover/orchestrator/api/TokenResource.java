package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.auth.ApiToken;
import io.drover.orchestrator.auth.Caller;
import io.drover.orchestrator.auth.Callers;
import io.drover.orchestrator.auth.Role;
import io.drover.orchestrator.auth.Tokens;
import io.drover.orchestrator.spec.FieldError;
import io.drover.orchestrator.tenant.Tenant;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API's bearer tokens, managed by admins: a tenant's admin for its own tenant, the admin token
 * for any. A token's secret is in the answer to its creation only.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
    private static final Set<String> FIELDS = Set.of("tenant", "role", "expiresIn", "name");

    @Inject
    Tokens tokens;
    @Inject
    Callers callers;

    /** A token as listed: never its secret. */
    public record View(long id, String tenant, String role, String name, String prefix, Instant createdAt,
            Instant expiresAt, Instant revokedAt) {
        static View of(ApiToken t) {
            return new View(t.id, t.tenant, t.role.name().toLowerCase(), t.name, t.prefix, t.createdAt, t.expiresAt,
                    t.revokedAt);
        }
    }

    /** A token just made, with its secret. */
    public record Made(long id, String token, String tenant, String role, String name, String prefix,
            Instant createdAt, Instant expiresAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body) {
        Caller caller = callers.current();
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new FieldError("body",
                    "must be an object: {\"role\": \"admin\"|\"submit\"|\"read\", \"tenant\", \"expiresIn\", \"name\"}")));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "is not a token field; expected one of " + FIELDS));
            }
        });
        String tenant = text(body, "tenant", errors).orElse(caller.tenant());
        if (!tenant.matches(Tenant.NAME)) {
            errors.add(new FieldError("tenant", "must be lower-case letters, digits and '-', starting with a letter"
                    + " or digit, at most 63 characters"));
        }
        Optional<Role> role = text(body, "role", errors).flatMap(Role::named);
        if (role.isEmpty()) {
            errors.add(new FieldError("role", "is required: admin, submit or read"));
        }
        Optional<Duration> expiresIn = text(body, "expiresIn", errors).map(v -> expiry(v, errors));
        String name = text(body, "name", errors).orElse(null);
        if (name != null && name.length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (!tenant.equals(caller.tenant()) && !caller.operator()) {
            return Problems.of(403, "forbidden", "Forbidden", "a tenant's admin makes tokens of its own tenant ("
                    + caller.tenant() + ") only; the admin token makes them for any tenant", List.of());
        }
        Tokens.Issued issued = tokens.create(tenant, role.get(), expiresIn, name);
        ApiToken t = issued.token();
        return Response.created(URI.create("/api/v1/tokens/" + t.id)).entity(new Made(t.id, issued.secret(), t.tenant,
                t.role.name().toLowerCase(), t.name, t.prefix, t.createdAt, t.expiresAt)).build();
    }

    @GET
    public List<View> list() {
        return tokens.of(callers.tenant()).stream().map(View::of).toList();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") long id) {
        if (!tokens.revoke(callers.tenant(), id)) {
            throw new NotFoundException("token " + id);
        }
        return Response.noContent().build();
    }

    private static Optional<String> text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    /** {@code 30d}, {@code 12h}, {@code 90m} or an ISO-8601 duration ({@code PT1H}), from a minute to ten years. */
    private static Duration expiry(String value, List<FieldError> errors) {
        Duration d = Params.shorthand(value).orElse(null);
        if (d == null) {
            try {
                d = Duration.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(3650)) > 0) {
            errors.add(new FieldError("expiresIn", "must be a duration such as 30d, 12h, 90m or PT1H, from 1 minute to"
                    + " 3650 days"));
            return Duration.ZERO;
        }
        return d;
    }
}
