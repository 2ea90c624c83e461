package io.drover.orchestrator.api;

import io.drover.orchestrator.cost.CostAggregates;
import io.drover.orchestrator.cost.ScheduleCost;
import io.drover.orchestrator.schedule.Schedules;
import io.drover.orchestrator.spec.SpecParser;
import io.drover.persistence.schedule.FireOutcome;
import io.drover.persistence.schedule.ScheduleRecord;
import io.drover.persistence.schedule.ScheduleStore;
import io.drover.scheduler.schedule.FireResult;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.drover.orchestrator.auth.Callers;
import java.net.URI;
import java.util.List;

/** Cron schedules: a job spec with {@code spec.schedule}. See docs/schedules.md. */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    @Inject
    Schedules schedules;
    @Inject
    ScheduleStore store;
    @Inject
    CostAggregates aggregates;
    @Inject
    Callers callers;

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Response create(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        long id = schedules.create(callers.tenant(), SpecParser.parse(body, json(contentType)));
        return Response.created(URI.create("/api/v1/schedules/" + id)).entity(view(schedules.find(id))).build();
    }

    @GET
    public List<ScheduleViews.Schedule> list() {
        String tenant = callers.tenant();
        return store.list().stream().filter(s -> s.tenant().equals(tenant)).map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public ScheduleViews.Schedule get(@PathParam("id") long id) {
        return view(mine(id));
    }

    @GET
    @Path("{id}/fires")
    public List<ScheduleViews.Fire> fires(@PathParam("id") long id, @QueryParam("limit") Integer limit) {
        mine(id);
        return store.fires(id, Params.limit(limit, 50, 500)).stream().map(ScheduleViews::fire).toList();
    }

    /**
     * What the schedule's last {@code last} runs cost (default 10, at most 100), newest first, with
     * the trend of their cost per succeeded subtask. The schedule is named by id or by name.
     */
    @GET
    @Path("{ref}/cost")
    public ScheduleCost cost(@PathParam("ref") String ref, @QueryParam("last") Integer last) {
        String tenant = callers.tenant();
        ScheduleRecord s = ref.matches("\\d{1,18}") ? mine(Long.parseLong(ref))
                : store.list().stream().filter(r -> r.tenant().equals(tenant) && r.name().equals(ref)).findFirst()
                        .orElseThrow(() -> new NotFoundException("schedule " + ref));
        return aggregates.schedule(s.id(), s.name(), Params.limit(last, 10, 100, "last"));
    }

    @PUT
    @Path("{id}")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public ScheduleViews.Schedule update(@PathParam("id") long id, String body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        mine(id);
        schedules.update(id, SpecParser.parse(body, json(contentType)));
        return view(schedules.find(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        mine(id);
        schedules.delete(id);
        return Response.noContent().build();
    }

    /** Runs the schedule now under its overlap policy: 201 with the job, or 409 saying why it was skipped. */
    @POST
    @Path("{id}/trigger")
    public Response trigger(@PathParam("id") long id) {
        mine(id);
        FireResult fired = schedules.trigger(id);
        if (fired.outcome().orElse(null) == FireOutcome.STARTED) {
            return Response.created(URI.create("/api/v1/jobs/" + fired.jobId())).entity(ScheduleViews.fired(fired)).build();
        }
        return Problems.conflict("schedule " + id + " did not start a job: " + fired.reason());
    }

    @POST
    @Path("{id}/suspend")
    public ScheduleViews.Schedule suspend(@PathParam("id") long id) {
        mine(id);
        schedules.suspend(id, true);
        return view(schedules.find(id));
    }

    @POST
    @Path("{id}/resume")
    public ScheduleViews.Schedule resume(@PathParam("id") long id) {
        mine(id);
        schedules.suspend(id, false);
        return view(schedules.find(id));
    }

    /** The caller's schedule {@code id}; another tenant's is not found, as if it did not exist. */
    private ScheduleRecord mine(long id) {
        ScheduleRecord s = schedules.find(id);
        if (!s.tenant().equals(callers.tenant())) {
            throw new NotFoundException("schedule " + id);
        }
        return s;
    }

    private ScheduleViews.Schedule view(ScheduleRecord s) {
        return ScheduleViews.schedule(s, store.fires(s.id(), 1), store.lastJob(s.id()));
    }

    private static boolean json(String contentType) {
        return contentType != null && contentType.toLowerCase().contains("json");
    }
}
