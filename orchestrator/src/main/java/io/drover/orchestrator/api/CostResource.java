package io.drover.orchestrator.api;

import io.drover.orchestrator.cost.CostAggregates;
import io.drover.orchestrator.cost.LabelCosts;
import io.drover.orchestrator.auth.Callers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Cost over many jobs, grouped by a job label (e.g. {@code team}). See docs/cost-model.md. */
@Path("/api/v1/cost")
@Produces(MediaType.APPLICATION_JSON)
public class CostResource {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

    @Inject
    CostAggregates aggregates;
    @Inject
    Callers callers;

    /** {@code GET /api/v1/cost?label=team&since=7d}: the same as {@code /by-label/team}. */
    @GET
    public LabelCosts cost(@QueryParam("label") String label, @QueryParam("since") String since) {
        if (label == null || label.isBlank()) {
            throw new BadParameterException("label", "is required: the job label to group by, e.g. ?label=team");
        }
        return byLabel(label, since);
    }

    @GET
    @Path("by-label/{key}")
    public LabelCosts byLabel(@PathParam("key") String key, @QueryParam("since") String since) {
        if (!key.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}")) {
            throw new BadParameterException("label", "must be a label key: letters, digits, '.', '_', '/', '-',"
                    + " at most 63 characters");
        }
        return aggregates.byLabel(callers.tenant(), key, since(since, Clock.systemUTC().instant()));
    }

    /** An instant ({@code 2026-11-01T00:00:00Z}) or a time back from now ({@code 7d}, {@code 12h}, {@code 30m}). */
    static Instant since(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return now.minus(DEFAULT_WINDOW);
        }
        String v = value.trim();
        Optional<Duration> back = Params.shorthand(v);
        if (back.isPresent()) {
            return now.minus(back.get());
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadParameterException("since", "must be an instant such as 2026-11-01T00:00:00Z or a time"
                    + " back from now such as 7d, 12h or 30m (default 30d)");
        }
    }
}
