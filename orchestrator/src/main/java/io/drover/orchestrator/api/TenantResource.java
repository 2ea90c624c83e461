package io.drover.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.orchestrator.auth.Caller;
import io.drover.orchestrator.auth.Callers;
import io.drover.orchestrator.spec.FieldError;
import io.drover.orchestrator.tenant.Tenant;
import io.drover.orchestrator.tenant.TenantAdmin;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tenants and their quotas. The admin token sets them ({@code PUT}) and sees every tenant; a
 * tenant's admin sees its own, and no other exists for it.
 */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {
    private static final Set<String> COUNTS = Set.of("maxRunningSubtasks", "maxOpenSandboxes", "submitsPerMinute");
    private static final String BUDGET = "monthlyBudgetUsd";

    @Inject
    TenantAdmin tenants;
    @Inject
    Callers callers;

    public record View(String name, Integer maxRunningSubtasks, Integer maxOpenSandboxes, BigDecimal monthlyBudgetUsd,
            Integer submitsPerMinute, Instant createdAt, Instant updatedAt) {
        static View of(Tenant t) {
            return new View(t.name, t.maxRunningSubtasks, t.maxOpenSandboxes, t.monthlyBudgetUsd, t.submitsPerMinute,
                    t.createdAt, t.updatedAt);
        }
    }

    @GET
    public List<View> list() {
        Caller caller = callers.current();
        return tenants.all().stream().filter(t -> caller.operator() || t.name.equals(caller.tenant()))
                .map(View::of).toList();
    }

    @GET
    @Path("{name}")
    public View get(@PathParam("name") String name) {
        Caller caller = callers.current();
        if (!caller.operator() && !name.equals(caller.tenant())) {
            throw new NotFoundException("tenant " + name);
        }
        return tenants.find(name).map(View::of).orElseThrow(() -> new NotFoundException("tenant " + name));
    }

    /** Makes the tenant or replaces its quotas; a quota left out or null is no limit. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("name") String name, JsonNode body) {
        Caller caller = callers.current();
        if (!caller.operator()) {
            return Problems.of(403, "forbidden", "Forbidden", "tenants and their quotas are set with the admin token",
                    List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        if (!name.matches(Tenant.NAME)) {
            errors.add(new FieldError("name", "must be lower-case letters, digits and '-', starting with a letter or"
                    + " digit, at most 63 characters"));
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("body", "must be an object of quotas: " + COUNTS + " and " + BUDGET));
            throw new InvalidRequestException(errors);
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!COUNTS.contains(f) && !BUDGET.equals(f)) {
                errors.add(new FieldError(f, "is not a quota; expected one of " + COUNTS + " or " + BUDGET));
            }
        });
        Integer running = count(body, "maxRunningSubtasks", errors);
        Integer sandboxes = count(body, "maxOpenSandboxes", errors);
        Integer submits = count(body, "submitsPerMinute", errors);
        BigDecimal budget = null;
        JsonNode b = body.get(BUDGET);
        if (b != null && !b.isNull()) {
            if (!b.isNumber() || b.decimalValue().signum() < 0 || b.decimalValue().compareTo(BigDecimal.valueOf(1e12)) > 0) {
                errors.add(new FieldError(BUDGET, "must be a number of USD from 0 to 1e12, or null for no limit"));
            } else {
                budget = b.decimalValue();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return Response.ok(View.of(tenants.put(name, new TenantAdmin.Limits(running, sandboxes, budget, submits))))
                .build();
    }

    private static Integer count(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1 || value.intValue() > 1_000_000) {
            errors.add(new FieldError(field, "must be a whole number from 1 to 1000000, or null for no limit"));
            return null;
        }
        return value.intValue();
    }
}
